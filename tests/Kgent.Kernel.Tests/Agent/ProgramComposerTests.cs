using System.Collections.Immutable;
using Kgent.Kernel.Agent;
using Kgent.Kernel.Agent.Offline;
using Kgent.Kernel.Agent.Offline.Composer;
using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.Examples;
using Kgent.Kernel.Intent;
using Kgent.Kernel.Semantics;
using Kgent.Kernel.Tests.Support;
using Microsoft.Extensions.AI;

namespace Kgent.Kernel.Tests.Agent;

/// <summary>The offline model's composer: programs built from the intent specification and the catalog (hooks among the
/// acceptable ones, filters as predicates, maps with their key and value, printf of the asked fields, latencies keyed by
/// what both ends share, units, periods), the next-best composition after a failure, examples used for style only, and
/// "I can't" instead of an unrelated program.</summary>
public sealed class ProgramComposerTests
{
    private static IReadOnlyList<ComposedProgram> Compose(string request, CompositionStyle? style = null) =>
        ProgramComposer.Compose(OfflineIntentReader.Read(request, Catalogs.Snapshot), Catalogs.Snapshot, style ?? CompositionStyle.Plain, new HashSet<string>());

    private static string First(string request) => Assert.IsType<ComposedProgram>(Compose(request).FirstOrDefault(), exactMatch: true).Program;

    /// <summary>Requests of many shapes, none of them in datasets/eval: the first composition parses, passes the semantic
    /// checker and is verified against the request by the intent checker.</summary>
    [Theory]
    [InlineData("Print each file that gets renamed, with the old and new names.")]
    [InlineData("Count file deletions per process name.")]
    [InlineData("Histogram of the sizes passed to write(), per process name.")]
    [InlineData("Show failed openat calls with the process name and the error number.")]
    [InlineData("Time each write() call from entry to return, as a histogram in microseconds.")]
    [InlineData("Count context switches per CPU, printed every 2 seconds.")]
    [InlineData("Print the local port of every socket that starts listening.")]
    [InlineData("Sum the bytes allocated by kmalloc per process name.")]
    [InlineData("Print each new directory that a process makes, with the process name and the path.")]
    [InlineData("Trace page faults in user space, counting them per process name.")]
    public void The_first_composition_passes_the_checker_and_is_verified_against_the_request(string request)
    {
        var program = First(request);
        var parse = BpftraceParser.Parse(program, "composed.bt");
        Assert.False(parse.HasErrors, program);
        var check = SemanticChecker.Check(parse, Catalogs.Snapshot);
        Assert.False(check.BlockingErrors.Any(), program + string.Join("\n", check.Diagnostics));
        var report = IntentChecker.Check(OfflineIntentReader.Read(request, Catalogs.Snapshot), parse, Catalogs.Snapshot, SymbolicCases.Contracts);
        Assert.True(report.IsVerified, program + "\n" + string.Join("\n", report.Results.Select(r => $"{r.Outcome}: {r.Message}")));
    }

    [Fact]
    public void A_failure_filter_moves_the_event_to_the_call_s_return_and_becomes_a_predicate()
    {
        var program = First("Show failed openat calls with the process name and the error number.");
        Assert.StartsWith("tracepoint:syscalls:sys_exit_openat\n/args->ret < 0/", program, StringComparison.Ordinal);
        // Who first, then what: the name before the error, as opensnoop prints them.
        Assert.Contains("printf(\"%s %d\\n\", comm, args->ret);", program, StringComparison.Ordinal);
    }

    [Fact]
    public void Required_system_calls_are_all_attached_and_share_one_probe()
    {
        var program = First("Count file deletions per process name.");
        Assert.Contains("tracepoint:syscalls:sys_enter_unlinkat", program, StringComparison.Ordinal);
        Assert.Contains("tracepoint:syscalls:sys_enter_unlink\n", program, StringComparison.Ordinal);
        Assert.Equal(1, program.Split("count()").Length - 1);
        Assert.Contains("[comm] = count();", program, StringComparison.Ordinal);
    }

    [Fact]
    public void A_latency_is_a_start_map_keyed_by_thread_read_at_the_return_in_the_asked_unit()
    {
        var program = First("Time each write() call from entry to return, as a histogram in microseconds.");
        Assert.Contains("tracepoint:syscalls:sys_enter_write\n{\n  @start[tid] = nsecs;", program, StringComparison.Ordinal);
        Assert.Contains("tracepoint:syscalls:sys_exit_write\n/@start[tid]/", program, StringComparison.Ordinal);
        Assert.Contains("hist((nsecs - @start[tid]) / 1000)", program, StringComparison.Ordinal);
        Assert.Contains("delete(@start[tid]);", program, StringComparison.Ordinal);
    }

    [Fact]
    public void A_block_request_latency_is_keyed_by_device_and_sector()
    {
        var program = First("How long do disk requests take from issue to completion? Histogram in milliseconds.");
        Assert.Contains("tracepoint:block:block_rq_issue\n{\n  @start[args->dev, args->sector] = nsecs;", program, StringComparison.Ordinal);
        Assert.Contains("/ 1000000", program, StringComparison.Ordinal);
    }

    [Fact]
    public void Periodic_output_is_an_interval_probe_that_prints_and_clears_the_map()
    {
        var program = First("Count context switches per CPU, printed every 2 seconds.");
        Assert.Contains("[cpu] = count();", program, StringComparison.Ordinal);
        Assert.Contains("interval:s:2\n{\n  print(@context_switch);\n  clear(@context_switch);\n}", program, StringComparison.Ordinal);
    }

    [Fact]
    public void Bytes_received_are_what_the_call_returned()
    {
        var program = First("Total bytes received with recvfrom per process name.");
        Assert.Contains("tracepoint:syscalls:sys_exit_recvfrom", program, StringComparison.Ordinal);
        Assert.Contains("[comm] = sum(args->ret);", program, StringComparison.Ordinal);
    }

    [Fact]
    public void Addresses_and_ports_print_both_ends_of_the_connection_in_either_family()
    {
        var program = First("trace TCP connects with their IPv4/IPv6 addresses and ports");
        Assert.Contains("/args->newstate == 2/", program, StringComparison.Ordinal);
        Assert.Contains("if (args->family == 10) {\n    printf(\"%s:%u -> %s:%u\\n\", ntop(args->saddr_v6), args->sport, ntop(args->daddr_v6), args->dport);", program, StringComparison.Ordinal);
        Assert.Contains("} else {\n    printf(\"%s:%u -> %s:%u\\n\", ntop(args->saddr), args->sport, ntop(args->daddr), args->dport);", program, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Count IPv6 socket creations per program.", "/args->family == 10/", "@socket_creation[comm] = count();")]
    [InlineData("Count failed kmalloc calls.", "/args->ptr == 0/", "@kmalloc = count();")]
    [InlineData("Count packet drops by the kernel function that dropped them.", "tracepoint:skb:kfree_skb", "[ksym(args->location)] = count();")]
    [InlineData("Which destination ports do outgoing TCP connections use?", "/args->newstate == 2/", "[args->dport] = count();")]
    public void Filters_and_keys_the_request_names_are_in_the_program(string request, string expected, string statement)
    {
        var program = First(request);
        Assert.Contains(expected, program, StringComparison.Ordinal);
        Assert.Contains(statement, program, StringComparison.Ordinal);
    }

    [Fact]
    public void A_filter_no_hook_of_the_event_can_state_composes_nothing()
    {
        // A context switch has no result to fail: a program without the filter would not do what was asked.
        Assert.Empty(Compose("Count failed context switches per CPU."));
    }

    [Fact]
    public void A_system_call_outside_the_vocabulary_is_found_in_the_catalog_by_name()
    {
        var events = CatalogEvents.Find("Print permission changes made with fchmodat.", Catalogs.Snapshot);
        Assert.Contains(events.Single().Hooks, h => h.AttachPoint == "tracepoint:syscalls:sys_enter_fchmodat");
        // A word that only looks like a call ("created", creat(2)) finds nothing.
        Assert.Empty(CatalogEvents.Find("Count the widgets created per minute.", Catalogs.Snapshot));
    }

    [Fact]
    public void Each_composition_is_the_next_best_hook_group()
    {
        var compositions = Compose("Count file opens per process name.");
        Assert.True(compositions.Count >= 2);
        Assert.StartsWith("tracepoint:syscalls:sys_enter_openat", compositions[0].Program, StringComparison.Ordinal);
        Assert.DoesNotContain("sys_enter_openat\n", compositions[1].Program.Split('{')[0], StringComparison.Ordinal);
        Assert.Equal(compositions.Count, compositions.Select(c => c.Program).Distinct().Count());
    }

    [Fact]
    public void Examples_give_the_style_never_the_hook()
    {
        Example[] padded =
        [
            Example.New("trace signals", "tracepoint:signal:signal_generate { printf(\"%-7d %-16s %d\\n\", pid, comm, args->sig); }\n", "test"),
            Example.New("trace kills", "tracepoint:syscalls:sys_enter_kill { printf(\"%-7d %-16s %d\\n\", pid, comm, args->sig); }\n", "test"),
        ];
        var style = CompositionStyle.Of(padded);
        Assert.True(style.Padded);
        var program = Compose("Print the name of every file that gets deleted, with the process that deleted it.", style)[0].Program;
        Assert.Contains("%-16s", program, StringComparison.Ordinal);
        Assert.DoesNotContain("signal", program, StringComparison.Ordinal);
        Assert.DoesNotContain("kill", program, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_model_says_it_cannot_rather_than_return_an_unrelated_program()
    {
        var model = new OfflineRetrievalModel(Catalogs.Snapshot, SymbolicCases.Contracts);
        var prompt = Prompter.Build("Count task clock software events by process.", [], [], Catalogs.Snapshot);
        var reply = await model.GetResponseAsync([new(ChatRole.System, prompt.Boilerplate), new(ChatRole.User, prompt.UserMessage)]);
        Assert.Null(CandidateExtractor.Extract(reply.Text));
        Assert.Contains(OfflineRetrievalModel.Name, reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_model_s_reply_says_what_it_composed()
    {
        var model = new OfflineRetrievalModel(Catalogs.Snapshot, SymbolicCases.Contracts);
        var prompt = Prompter.Build("Count file deletions per process name.", [], [], Catalogs.Snapshot);
        var reply = await model.GetResponseAsync([new(ChatRole.System, prompt.Boilerplate), new(ChatRole.User, prompt.UserMessage)]);
        Assert.Contains("composed: counts file deletion on tracepoint:syscalls:sys_enter_unlinkat, tracepoint:syscalls:sys_enter_unlink by process name", reply.Text, StringComparison.Ordinal);
        Assert.Contains("sys_enter_unlinkat", CandidateExtractor.Extract(reply.Text)!.Program, StringComparison.Ordinal);
    }

    [Fact]
    public void A_latency_with_an_end_no_program_can_time_composes_nothing()
    {
        var spec = IntentSpec.Empty("time from a sample to a read", "test") with
        {
            Events =
            [
                new IntentEvent("CPU sampling", "sample", [new IntentHook("profile:hz:99")], EventRole.Start),
                new IntentEvent("read", "read", [new IntentHook("tracepoint:syscalls:sys_exit_read")], EventRole.End),
            ],
            Computation = new IntentComputation(ComputationKind.Latency, "time", Across: "thread"),
        };
        Assert.Empty(ProgramComposer.Compose(spec, Catalogs.Snapshot, CompositionStyle.Plain, new HashSet<string>()));
    }

    [Fact]
    public void A_specification_whose_event_has_no_hook_here_composes_nothing()
    {
        var spec = IntentSpec.Empty("count frobnications", "test") with { Events = [new IntentEvent("frobnication", "frobnications", ImmutableArray<IntentHook>.Empty)] };
        Assert.Empty(ProgramComposer.Compose(spec, Catalogs.Snapshot, CompositionStyle.Plain, new HashSet<string>()));
    }
}
