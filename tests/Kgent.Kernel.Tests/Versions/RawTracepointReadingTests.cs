using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.Bpftrace.Porting;
using Kgent.Kernel.Bpftrace.Syntax.Expressions;
using Kgent.Kernel.KernelInfo.Btf;
using Kgent.Kernel.KernelVerifier;
using Kgent.Kernel.Runner;
using Kgent.Kernel.Semantics;
using Kgent.Kernel.Tests.Support;

namespace Kgent.Kernel.Tests.Versions;

/// <summary>datasets/bpftrace-versions/raw-tracepoints.yaml, the table that ports a tracepoint probe to its raw
/// tracepoint on a release that reads __data_loc fields wrongly (0.23): every row agrees with the kernel's catalog, and
/// under the real 0.23.2 each row reads its event as the tracepoint does, for a workload of the test's own.</summary>
[Collection(KernelCollection.Name)]
public sealed class RawTracepointReadingTests : IDisposable
{
    private static readonly Version Buggy = new(0, 23, 2);

    private readonly string directory = Directory.CreateTempSubdirectory("kgent-rawtp-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    public static TheoryData<string> Rows => [.. RawTracepointReadings.All.Select(r => r.Tracepoint).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Rows))]
    public void A_row_has_every_field_of_its_tracepoint_and_the_raw_tracepoints_argument_types(string tracepoint)
    {
        var row = RawTracepointReadings.Find(tracepoint)!;
        var catalog = Catalogs.Snapshot;
        var format = catalog.Tracepoints.SingleOrDefault(t => t.Name == tracepoint);
        Assert.True(format is not null, $"{tracepoint} is not a tracepoint of this kernel");

        var fields = format.Fields.Where(f => !f.Name.StartsWith("common_", StringComparison.Ordinal)).ToList();
        Assert.Equal(fields.Where(f => !f.IsDataLoc).Select(f => f.Name).Order(), row.Fields.Keys.Order());
        Assert.Equal(fields.Where(f => f.IsDataLoc).Select(f => f.Name).Order(), row.Strings.Keys.Order());

        // The raw tracepoint's prototype: btf_trace_EVENT is a pointer to void (void *ctx, ARGUMENTS…).
        var btf = catalog.Btf!;
        var typedef = btf.FindTypedef("btf_trace_" + row.Event);
        Assert.True(typedef is not null, $"no btf_trace_{row.Event} in the kernel's BTF");
        var prototype = Assert.IsType<BtfFunctionProto>(btf.Resolve(Assert.IsType<BtfPointer>(btf.Resolve(typedef.Target)).Target));
        var types = prototype.Parameters.Skip(1).Select(p => btf.Format(p.Type)).ToList();
        Assert.Equal(types, row.Arguments.Select(TypeOf));

        foreach (var (name, text) in row.Fields.Concat(row.Strings))
        {
            // Each expression checks in a rawtracepoint probe at the release that needs the table.
            var program = BpftraceParser.Parse($"rawtracepoint:{row.Event} {{ @v = {text}; }}", $"{row.Event}.{name}.bt");
            var check = SemanticChecker.Check(program, catalog, CheckOptions.Default with { TargetVersion = Buggy });
            Assert.False(check.Diagnostics.Any(d => d.IsError), $"{tracepoint} {name}: {string.Join("; ", check.Diagnostics.Select(d => d.Message))}");

            // A cast of argN names argument N's type.
            foreach (var cast in RawTracepointReading.Parse(text).DescendantNodesAndSelf().OfType<CastExpression>())
            {
                if (cast.Operand is BuiltinExpression { Name: var arg } && arg.StartsWith("arg", StringComparison.Ordinal) && cast.Type.PointerDepth > 0)
                {
                    Assert.Equal(types[int.Parse(arg[3..], System.Globalization.CultureInfo.InvariantCulture)], Normalize(cast.Type.ToString()));
                }
            }
        }
    }

    [Fact]
    public void A_raw_tracepoint_reads_its_arguments_as_argN_but_has_no_stack_arguments()
    {
        var options = CheckOptions.Default with { TargetVersion = Buggy };
        var args = SemanticChecker.Check(BpftraceParser.Parse("rawtracepoint:sched_switch { @[arg1] = count(); }\n", "raw.bt"), Catalogs.Snapshot, options);
        Assert.DoesNotContain(args.Diagnostics, d => d.IsError);

        var stack = SemanticChecker.Check(BpftraceParser.Parse("rawtracepoint:sched_switch { @[sarg1] = count(); }\n", "raw.bt"), Catalogs.Snapshot, options);
        var error = Assert.Single(stack.Diagnostics, d => d.IsError);
        Assert.Equal("KG2301", error.Code);
        Assert.Contains("only kprobe, uprobe and usdt", error.Message, StringComparison.Ordinal);
    }

    /// <summary>The release table's measured entry: bookworm's 0.17 cannot parse a rawtracepoint attach point, 0.23.2
    /// loads one; the checker says so for a 0.17 target, and the port that writes them is for 0.23 alone.</summary>
    [BpftraceTreeTheory("trixie")]
    [InlineData("rawtracepoint:sched_process_exec { @[str(((struct linux_binprm *)arg2)->filename)] = count(); }\n")]
    public void Bookworms_bpftrace_has_no_raw_tracepoints_and_0_23_has_them(string program)
    {
        var parse = BpftraceParser.Parse(program, "raw.bt");
        var on017 = SemanticChecker.Check(parse, Catalogs.Snapshot, CheckOptions.Default with { TargetVersion = new Version(0, 17, 0) });
        var needs = Assert.Single(on017.Diagnostics, d => d.IsError);
        Assert.Equal("KG2701", needs.Code);
        Assert.StartsWith("`rawtracepoint` needs bpftrace 0.23.2", needs.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(SemanticChecker.Check(parse, Catalogs.Snapshot, CheckOptions.Default with { TargetVersion = Buggy }).Diagnostics, d => d.IsError);

        if (Host.MissingBpftraceReason is null)
        {
            var old = BpftraceLoadOnly.Run(program);
            Assert.False(old.Accepted, "bookworm's bpftrace loaded a rawtracepoint probe: the release table's measurement is wrong");
            Assert.Contains("Invalid probe type", old.Stderr, StringComparison.Ordinal);
        }

        var newer = KernelLoader.Verify(parse, new VerifyOptions(Catalog: Catalogs.Live, BpftracePath: $"chroot {BpftraceTrees.Tree("trixie")} bpftrace"));
        Assert.True(newer.IsAccepted, newer.ToString());
    }

    [BpftraceTreeTheory("trixie")]
    [MemberData(nameof(Rows))]
    public void Under_0_23_a_row_reads_its_event_as_the_tracepoint_does(string tracepoint)
    {
        var row = RawTracepointReadings.Find(tracepoint)!;
        var (comm, workload, strings) = Workload(row);
        var fields = row.Fields.Keys.Order(StringComparer.Ordinal).ToList();
        var program = $$"""
            {{row.RawAttachPoint}} /comm == "{{comm}}"/ { @raw[{{string.Join(", ", fields.Select(f => $"(int64)({row.Fields[f]})"))}}] = count(); @strings[{{string.Join(", ", row.Strings.Values)}}] = count(); }
            tracepoint:{{tracepoint}} /comm == "{{comm}}"/ { @tracepoint[{{string.Join(", ", fields.Select(f => $"(int64)(args.{f})"))}}] = count(); }

            """;
        var loading = new VerifyOptions(Catalog: Catalogs.Live, BpftracePath: $"chroot {BpftraceTrees.Tree("trixie")} bpftrace");
        var run = ProgramRunner.Run(BpftraceParser.Parse(program, "row.bt"), new RunOptions(Duration: TimeSpan.FromSeconds(20), Workload: workload, Verify: loading));
        var output = string.Join('\n', run.Messages.Concat(run.OtherOutput.Select(o => o.Text)));
        Assert.True(run.Load.IsAccepted, $"{tracepoint}: {run.Load}\n{output}");

        var raw = Entries(run, "@raw");
        var traced = Entries(run, "@tracepoint");
        Assert.True(traced.Count > 0, $"{tracepoint}: the workload made no event of its own\n{program}\n{output}");
        Assert.Equal(traced, raw);
        var read = Entries(run, "@strings");
        Assert.Equal([string.Join(",", strings)], read.Keys.Distinct().Select(k => k.Replace(", ", ",", StringComparison.Ordinal)));
    }

    private (string Comm, string Workload, string[] Strings) Workload(RawTracepointReading row)
    {
        if (row.Tracepoint == "sched:sched_process_exec")
        {
            var path = Path.Combine(directory, "kgrawexec");
            File.Copy("/bin/true", path);
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.UserWrite);
            return ("kgrawexec", $"{path}; {path}; {path}", [path]);
        }

        Assert.StartsWith("net:", row.Tracepoint, StringComparison.Ordinal);
        // UDP on loopback from a process that names itself: queued, sent and received on 'lo' in its own context.
        const string send = "open('/proc/self/comm','w').write('kgrawnet'); import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); "
            + "[s.sendto(b'k' * 300, ('127.0.0.1', 9)) for _ in range(20)]";
        return ("kgrawnet", $"python3 -c \"{send}\"", ["lo"]);
    }

    private static Dictionary<string, long> Entries(RunResult run, string map) => run.Map(map)?.Data is MapData.Keyed keyed
        ? keyed.Entries.ToDictionary(e => e.Key, e => e.Value is MapData.Scalar scalar ? scalar.Value : -1)
        : [];

    /// <summary>"struct linux_binprm *bprm" → "struct linux_binprm *"; "int rc" → "int".</summary>
    private static string TypeOf(string argument) => Normalize(argument[..(argument.LastIndexOfAny([' ', '*']) + 1)]);

    private static string Normalize(string type) => type.Replace(" *", "*", StringComparison.Ordinal).Trim().Replace("*", " *", StringComparison.Ordinal);
}
