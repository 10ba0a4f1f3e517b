namespace Kgent.Kernel.Examples;

/// <summary>One request/program pair of the example store (the eBPFNL dataset), with where it came from:
/// <c>dataset:ebpfnl/train</c>, <c>installed:/usr/sbin/opensnoop.bt</c>, <c>synthesis:offline retrieval model</c>, ….</summary>
public sealed record Example(long Id, string Request, string Program, string Source, DateTimeOffset AddedAt)
{
    public const string Bpftrace = "bpftrace";
    public const string C = "c";

    public static Example New(string request, string program, string source) => new(0, request, program, source, DateTimeOffset.UtcNow);

    /// <summary>The program's language: <see cref="Bpftrace"/>, or <see cref="C"/> (libbpf C). Retrieval returns one
    /// language's examples: a bpftrace prompt never shows C, nor the other way round.</summary>
    public string Language { get; init; } = Bpftrace;

    /// <summary>Where it came from: the dataset, an installed tool, a user, or an earlier synthesis.</summary>
    public ExampleOrigin Origin => ExampleOrigins.Of(Source);
}

/// <summary>A retrieved example and its relevance (higher is better; BM25 from SQLite FTS5, negated so larger wins).</summary>
public sealed record ExampleMatch(Example Example, double Score);
