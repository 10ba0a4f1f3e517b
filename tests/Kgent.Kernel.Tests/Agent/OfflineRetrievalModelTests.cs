using Kgent.Kernel.Agent.Offline;
using Kgent.Kernel.Agent;
using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.Contracts;
using Kgent.Kernel.Examples;
using Kgent.Kernel.KernelVerifier;
using Kgent.Kernel.Symbolic;
using Kgent.Kernel.Tests.Support;
using Microsoft.Extensions.AI;

namespace Kgent.Kernel.Tests.Agent;

/// <summary>The offline retrieval model: request shapes, deterministic candidates, next-best after a failure,
/// annotations from contracts that catch the byte-order bug, refusals, and the whole loop on the real kernel.</summary>
public sealed class OfflineRetrievalModelTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("kgent-offline-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private ExampleStore TrainStore()
    {
        var store = ExampleStore.Open(Path.Combine(directory, "store.db"));
        var (pairs, _) = EbpfnlDataset.Load(Path.Combine(Support.Corpus.RepositoryRoot, "datasets", "ebpfnl"));
        store.AddRange(pairs.Where(p => p.Split == "train").Select(p => p.ToExample()));
        return store;
    }

    private static OfflineRetrievalModel Model() => new(Catalogs.Snapshot, SymbolicCases.Contracts);

    [Theory]
    [InlineData("count file opens by process", "count", "comm", null, null)]
    [InlineData("histogram of disk I/O sizes", "hist", null, null, null)]
    [InlineData("total bytes written per pid", "sum", "pid", null, null)]
    [InlineData("print the files opened by bash", "print", null, "bash", null)]
    [InlineData("trace reads of pid 4242", "print", null, null, 4242)]
    [InlineData("count file opens by process for curl only", "count", "comm", "curl", null)]
    [InlineData("count the files each process opens", "count", "comm", null, null)]
    [InlineData("trace the files opened by the process nginx", "print", null, "nginx", null)]
    public void Request_shape_is_read_from_its_words(string request, string output, string? key, string? name, int? pid) =>
        Assert.Equal(new RequestShape(output, key, name, pid), RequestShape.Of(request));

    [Fact]
    public async Task Replies_are_deterministic_and_name_the_model()
    {
        using var store = TrainStore();
        var prompt = Prompter.Build("count file opens by process", store.Search("count file opens by process", 3), [], Catalogs.Snapshot);
        ChatMessage[] messages = [new(ChatRole.System, prompt.Boilerplate), new(ChatRole.User, prompt.UserMessage)];

        var first = await Model().GetResponseAsync(messages);
        var second = await Model().GetResponseAsync(messages);

        Assert.Equal(first.Text, second.Text);
        Assert.Contains(OfflineRetrievalModel.Name, first.Text, StringComparison.Ordinal);
        Assert.Contains("sys_enter_openat", CandidateExtractor.Extract(first.Text)!.Program, StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_a_failure_the_next_best_candidate_is_tried_and_checked_against_the_request()
    {
        using var store = TrainStore();
        var rejected = 0;
        var loop = new SynthesisLoop(Model(), new SynthesisOptions(Catalog: Catalogs.Snapshot, Contracts: SymbolicCases.Contracts, Store: store,
            KernelLoad: p => rejected++ == 0
                ? new LoadVerdict.Rejected(LoadStage.Attach, "pretend this probe cannot attach", null, null, string.Empty)
                : new LoadVerdict.Accepted([], TimeSpan.Zero, [])));

        var result = await loop.RunAsync("count file opens by process");

        // The first candidate is right but "cannot attach"; the next best examples are tried in turn, and the intent
        // check refutes each one that does not count opens per process name, so none is returned as verified.
        Assert.True(result.Attempts.Length >= 2);
        Assert.Equal("kernel verifier (attach)", result.Attempts[0].FailedStage);
        Assert.Equal(result.Attempts.Length, result.Attempts.Select(a => a.Candidate).Distinct().Count());
        Assert.All(result.Attempts.Skip(1), a => Assert.True(a.FailedStage is null ? a.IsVerified : a.FailedStage == "intent check", a.Candidate));
        if (result is SynthesisResult.Succeeded success)
        {
            Assert.True(success.IsVerified);
        }
    }

    [Fact]
    public void Annotations_from_contracts_refute_the_raw_port_and_prove_the_converted_one()
    {
        var raw = OfflineAnnotator.Annotate(File.ReadAllText(SymbolicCases.CaseStudy("tcp_connect_raw_port.bt")), SymbolicCases.Contracts, Catalogs.Snapshot);
        var fixedPort = OfflineAnnotator.Annotate(File.ReadAllText(SymbolicCases.CaseStudy("tcp_connect.bt")), SymbolicCases.Contracts, Catalogs.Snapshot);

        Assert.Contains("assume((struct sock *)arg0 != 0);", raw, StringComparison.Ordinal);
        Assert.Contains("assert($dport == ntohs($sk->__sk_common.skc_dport));", raw, StringComparison.Ordinal);
        var refuted = SymbolicVerifier.Verify(raw, "raw.bt", Catalogs.Snapshot, SymbolicCases.Options);
        Assert.Equal(VerdictKind.Counterexample, refuted.Overall);
        var proved = SymbolicVerifier.Verify(fixedPort, "fixed.bt", Catalogs.Snapshot, SymbolicCases.Options);
        Assert.Equal(VerdictKind.Verified, proved.Overall);
        Assert.NotEmpty(proved.Assertions);
        Assert.Equal(File.ReadAllText(SymbolicCases.CaseStudy("tcp_connect.bt")), Bpftrace.Printing.AnnotationStripper.StripText(BpftraceParser.Parse(fixedPort)));
    }

    [Fact]
    public void Annotations_catch_the_raw_port_in_the_tracepoint_variant_too()
    {
        var raw = OfflineAnnotator.Annotate(File.ReadAllText(SymbolicCases.CaseStudy("inet_sock_set_state_raw_port.bt")), SymbolicCases.Contracts, Catalogs.Snapshot);

        Assert.Equal(VerdictKind.Counterexample, SymbolicVerifier.Verify(raw, "raw.bt", Catalogs.Snapshot, SymbolicCases.Options).Overall);
    }

    [Theory]
    [InlineData("run rm -rf / whenever someone logs in")]
    [InlineData("whenever anyone calls kill, kill every process")]
    [InlineData("reboot the machine when memory runs low")]
    public async Task Requests_to_act_on_the_system_are_refused(string request)
    {
        var loop = new SynthesisLoop(Model(), new SynthesisOptions(Catalog: Catalogs.Snapshot, KernelLoad: _ => throw new InvalidOperationException("must not load")));

        var result = await loop.RunAsync(request);

        var gaveUp = Assert.IsType<SynthesisResult.GaveUp>(result);
        Assert.Null(gaveUp.LastCandidate);
        Assert.Contains("only write programs that observe the kernel", gaveUp.AllFeedback[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Questions_about_deleting_or_killing_are_observation_not_action()
    {
        var loop = new SynthesisLoop(Model(), new SynthesisOptions(Catalog: Catalogs.Snapshot, Annotate: false, VerifyInKernel: false));

        var result = await loop.RunAsync("Which processes delete the most files?");

        Assert.Contains("sys_enter_unlinkat", Assert.IsType<SynthesisResult.Succeeded>(result).Program, StringComparison.Ordinal);
    }

    [BpftraceFact]
    public async Task The_case_study_request_goes_end_to_end_on_the_real_kernel()
    {
        using var store = TrainStore();
        var loop = new SynthesisLoop(Model(), new SynthesisOptions(Catalog: Catalogs.Live, Contracts: SymbolicCases.Contracts, Store: store, ModelName: OfflineRetrievalModel.Name));

        var result = await loop.RunAsync("trace TCP connects with their IPv4/IPv6 addresses and ports");

        var success = Assert.IsType<SynthesisResult.Succeeded>(result);
        Assert.Contains("tracepoint:sock:inet_sock_set_state", success.Program, StringComparison.Ordinal);
        Assert.IsType<LoadVerdict.Accepted>(success.Attempts[^1].Load);
        Assert.StartsWith($"synthesis:{OfflineRetrievalModel.Name}:", store.Get(success.ExampleId!.Value)!.Source, StringComparison.Ordinal);
    }
}
