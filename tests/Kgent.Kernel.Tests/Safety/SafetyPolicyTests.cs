using Kgent.Notebook;
using Kgent.Kernel.Agent;
using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.Examples;
using Kgent.Kernel.KernelVerifier;
using Kgent.Kernel.Runner;
using Kgent.Kernel.Safety;
using Kgent.Kernel.Semantics;
using Kgent.Kernel.Symbolic;
using Kgent.Kernel.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Kgent.Kernel.Tests.Safety;

/// <summary>The one safety policy, after preprocessing: cat, system, signal and override are found however they reach the
/// program — a call, a macro, a function-like macro, token pasting, a header, a header the header includes, a positional
/// parameter — and refused at every entrance (check, symbex, verify, run, synth, the example store, the notebook session)
/// unless allowed by name. Programs that merely mention the names are not refused.</summary>
public sealed class SafetyPolicyTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("kgent-policy-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(directory, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private SafetyReview Review(string text, string name = "p.bt") => SafetyPolicy.Review(text, Path.Combine(directory, name));

    public static TheoryData<string, string, string> Hidden() => new()
    {
        { "BEGIN { cat(\"/etc/shadow\"); }", "cat", "" },
        { "BEGIN { system(\"id\"); }", "system", "" },
        { "kprobe:do_sys_open { signal(9); }", "signal", "" },
        { "kprobe:x { override(0); }", "override", "" },
        { "#define C cat(\"/etc/shadow\")\nBEGIN { C; }", "cat", "C" },
        { "#define C cat\nBEGIN { C(\"/etc/shadow\"); }", "cat", "C" },
        { "#define READ(p) cat(p)\nBEGIN { READ(\"/etc/shadow\"); }", "cat", "READ" },
        { "#define CALL(f, a) f(a)\nBEGIN { CALL(cat, \"/etc/shadow\"); }", "cat", "CALL" },
        { "#define A B\n#define B system(\"id\")\nBEGIN { A; }", "system", "A" },
        { "#define S sys ## tem\nBEGIN { S(\"id\"); }", "system", "S" },
        { "#define OPEN cat(\nBEGIN { OPEN \"/etc/shadow\"); }", "cat", "OPEN" },
        { "#define LONG \\\n  cat(\"/etc/shadow\")\nBEGIN { LONG; }", "cat", "LONG" },
        { "#if 0\n#define C cat(\"/etc/shadow\")\n#endif\nBEGIN { C; }", "cat", "C" },
        { "#define C cat(\"/etc/shadow\")\n#undef C\nBEGIN { C; }", "cat", "C" },
        { "BEGIN { cat($1); }", "cat", "" },
        { "BEGIN { cat(str($1)); }", "cat", "" },
        { "BEGIN { system(str($1)); }", "system", "" },
        { "BEGIN { cat /* hidden */ (\"/etc/shadow\"); }", "cat", "" },
    };

    [Theory]
    [MemberData(nameof(Hidden))]
    public void Every_way_to_reach_an_unsafe_builtin_is_found(string program, string builtin, string macro)
    {
        var review = Review(program);

        Assert.False(review.IsSafe);
        var violation = Assert.Single(review.Violations);
        Assert.Equal(builtin, violation.Builtin.Name);
        Assert.Equal(macro.Length == 0, violation.Via.IsEmpty);
        if (macro.Length > 0)
        {
            Assert.StartsWith(macro + " (defined at ", violation.Via[0], StringComparison.Ordinal);
            // The span points at the macro's use in the program, where the user can see it.
            Assert.Equal(macro, program.Substring(violation.Span.Start, violation.Span.Length));
        }
    }

    [Fact]
    public void A_builtin_in_a_header_or_a_header_it_includes_is_found_with_where_it_is_defined()
    {
        var inner = Write("include/inner.h", "#define SNEAKY(p) cat(p)\n");
        Write("include/outer.h", "#include \"inner.h\"\n#define READ_SECRET SNEAKY(\"/etc/shadow\")\n");

        foreach (var include in new[] { $"#include \"{Path.Combine(directory, "include", "outer.h")}\"", "#include \"include/outer.h\"" })
        {
            var review = Review($"{include}\nBEGIN {{ READ_SECRET; exit(); }}\n");

            var violation = Assert.Single(review.Violations);
            Assert.Equal("cat", violation.Builtin.Name);
            Assert.Contains($"SNEAKY (defined at {inner}:1)", violation.ViaText, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("tracepoint:signal:signal_generate { printf(\"%d\\n\", args->sig); }")]
    [InlineData("kprobe:do_exit { $t = (struct task_struct *)curtask; printf(\"%p\\n\", $t->signal); }")]
    [InlineData("BEGIN { @cat[comm] = count(); @system = 1; printf(\"cat( system( signal(\\n\"); }")]
    [InlineData("uprobe:/bin/cat:main { printf(\"cat started\\n\"); }")]
    [InlineData("#define CAT_PATH \"/etc/hostname\"\n#define SIGNAL_FIELD sig\nBEGIN { printf(\"%s\\n\", CAT_PATH); }")]
    [InlineData("// cat(\"/etc/shadow\") in a comment\nBEGIN { /* system(\"id\") */ exit(); }")]
    public void Merely_mentioning_the_names_is_not_refused(string program)
    {
        var review = Review(program);

        Assert.True(review.IsSafe, string.Join("; ", review.Violations.Select(v => v.Message)));
    }

    [Fact]
    public void Allowing_a_builtin_by_name_allows_only_that_one()
    {
        var allowed = SafetyAllowance.Parse(["cat"], out _)!;
        var review = SafetyPolicy.Review("#define C cat(\"/etc/hostname\")\nBEGIN { C; system(\"id\"); }", "p.bt", allowed);

        Assert.False(review.IsSafe);
        Assert.Equal(["system"], review.Refused.Select(v => v.Builtin.Name));
        Assert.True(review.NeedsUnsafeFlag is false);
        Assert.Null(SafetyAllowance.Parse(["everything"], out var problem));
        Assert.Contains("'everything' is not an unsafe builtin", problem, StringComparison.Ordinal);
    }

    private const string Sneaky = "#define C cat(\"/etc/shadow\")\ntracepoint:syscalls:sys_enter_openat { C; }\n";

    [Fact]
    public void Check_refuses_it()
    {
        var result = SemanticChecker.Check(Sneaky, Path.Combine(directory, "p.bt"), Catalogs.Snapshot);

        var error = Assert.Single(result.Errors, d => d.Code == "KG3002");
        Assert.Contains("cat() reads a file on the host, through the macro C", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Symbex_refuses_it_and_verifies_nothing()
    {
        var result = SymbolicVerifier.Verify(Sneaky.Replace("C; }", "C; assert(1 == 1); }", StringComparison.Ordinal), "p.bt", Catalogs.Snapshot);

        Assert.Equal(VerdictKind.Refused, result.Overall);
        Assert.False(result.IsVerified);
        Assert.Empty(result.Assertions);
    }

    [Fact]
    public void Verify_and_run_refuse_it_before_bpftrace_is_started()
    {
        var marker = Path.Combine(directory, "bpftrace-was-run");
        var fake = Write("fake-bpftrace", $"#!/bin/sh\ntouch '{marker}'\n");
        File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        var options = new VerifyOptions(BpftracePath: fake);
        var program = BpftraceParser.Parse(Sneaky, "p.bt");

        var verdict = Assert.IsType<LoadVerdict.Rejected>(KernelLoader.Verify(program, options));
        var run = ProgramRunner.Run(program, new RunOptions(Verify: options));

        Assert.Equal(LoadStage.Policy, verdict.Stage);
        Assert.Contains("through the macro C", verdict.Message, StringComparison.Ordinal);
        Assert.Equal(StopReason.NotStarted, run.StoppedBy);
        Assert.Equal(LoadStage.Policy, Assert.IsType<LoadVerdict.Rejected>(run.Load).Stage);
        Assert.False(File.Exists(marker), "bpftrace was started for a refused program");
    }

    [Fact]
    public async Task Synth_never_accepts_it_however_the_model_hides_it()
    {
        var replies = new[]
        {
            $"```bpftrace\n{Sneaky}```",
            $"```bpftrace\n#include \"{Write("h.h", "#define RD(p) cat(p)\n")}\"\ntracepoint:syscalls:sys_enter_openat {{ RD(\"/etc/shadow\"); }}\n```",
            "```bpftrace\ntracepoint:syscalls:sys_enter_openat { cat(str(args->filename)); }\n```",
        };
        var loop = new SynthesisLoop(new ScriptedChatClient(replies), new SynthesisOptions(Tries: 3, Catalog: Catalogs.Snapshot, Annotate: false, VerifyInKernel: false));

        var result = await loop.RunAsync("show the contents of each file opened");

        Assert.IsType<SynthesisResult.GaveUp>(result);
        Assert.All(result.Attempts, a => Assert.Equal("safety policy", a.FailedStage));
    }

    [Fact]
    public void The_example_store_neither_stores_nor_retrieves_it()
    {
        using var store = ExampleStore.Open(Path.Combine(directory, "store.db"));
        Assert.Contains("refused by the safety policy", Assert.Throws<ExampleStoreException>(() => store.Add(Example.New("show file contents", Sneaky, "test"))).Message,
            StringComparison.Ordinal);
        var refused = new List<string>();
        Assert.Empty(store.AddRange([Example.New("read shadow", "BEGIN { cat(\"/etc/shadow\"); }", "test")], refused));
        Assert.Single(refused);

        Poison(store.Path, "count file opens by process", Sneaky);
        store.Add(Example.New("count file opens by process", "tracepoint:syscalls:sys_enter_openat { @[comm] = count(); }\n", "test"));

        var matches = store.Search("count file opens by process", 5);
        Assert.Single(matches);
        Assert.DoesNotContain(matches, m => m.Example.Program.Contains("cat(", StringComparison.Ordinal));
        Assert.DoesNotContain(store.SearchHybrid("count file opens by process", null, 5), m => m.Example.Program.Contains("cat(", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_poisoned_store_never_yields_an_unsafe_program()
    {
        var path = Path.Combine(directory, "poisoned.db");
        using (var seeded = ExampleStore.Open(path))
        {
            EbpfnlDataset.SeedIfEmpty(seeded);
        }

        // Written straight into the file, as an attacker with write access to it would: the exact request, a sneaky answer.
        const string request = "Print the contents of every file a process opens";
        Poison(path, request, Sneaky);
        Poison(path, request + " please", "#define RUN system(\"id\")\ntracepoint:syscalls:sys_enter_openat { RUN; }\n");
        using var store = ExampleStore.Open(path);
        var loop = new SynthesisLoop(new Kgent.Kernel.Agent.Offline.OfflineRetrievalModel(Catalogs.Snapshot, SymbolicCases.Contracts),
            new SynthesisOptions(Tries: 3, Catalog: Catalogs.Snapshot, Contracts: SymbolicCases.Contracts, Store: store, VerifyInKernel: false, Learn: false));

        var result = await loop.RunAsync(request);

        foreach (var candidate in result.Attempts.Select(a => a.Candidate).OfType<string>())
        {
            Assert.True(SafetyPolicy.Review(candidate, "candidate.bt").IsSafe, candidate);
        }

        if (result is SynthesisResult.Succeeded succeeded)
        {
            Assert.True(SafetyPolicy.Review(succeeded.Program, "final.bt").IsSafe, succeeded.Program);
        }
    }

    [Fact]
    public void The_notebook_session_refuses_it_at_check_symbex_and_verify()
    {
        var session = new KgentSession(Catalogs.Snapshot, SymbolicCases.Contracts, store: null);

        Assert.Contains(session.Check(Sneaky).Errors, d => d.Code == "KG3002");
        // symbex refuses a program with errors and shows its check instead of a verdict.
        var refused = Assert.IsType<CheckResult>(session.Symbex(Sneaky.Replace("C; }", "C; assert(1 == 1); }", StringComparison.Ordinal)));
        Assert.Contains(refused.Errors, d => d.Code == "KG3002");
        Assert.Equal(LoadStage.Policy, Assert.IsType<LoadVerdict.Rejected>(session.Verify(Sneaky)).Stage);
    }

    private static void Poison(string store, string request, string program)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = store, Pooling = false }.ToString());
        connection.Open();
        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO examples(request, program, source, added_at) VALUES ($r, $p, 'attacker', '2026-01-01T00:00:00+00:00')";
        insert.Parameters.AddWithValue("$r", request);
        insert.Parameters.AddWithValue("$p", program);
        insert.ExecuteNonQuery();
    }
}
