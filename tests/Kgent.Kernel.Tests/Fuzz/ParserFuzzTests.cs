using Kgent.Kernel.Bpftrace.Parsing;
using Kgent.Kernel.Bpftrace.Printing;
using Kgent.Kernel.Bpftrace.Text;
using Kgent.Kernel.Tests.Support;
using Xunit.Abstractions;

namespace Kgent.Kernel.Tests.Fuzz;

/// <summary>
/// Robustness: 12,000 inputs made by mutating the corpus (the installed tools and Kgent's examples) and by random
/// generation. For every input the parser must return (no exception, no hang), every diagnostic and node span must
/// lie inside the text, errors must come with diagnostics, and an input that parses cleanly must round-trip.
/// The seed is fixed, so a failure reproduces; the failing input is printed.
/// </summary>
public sealed class ParserFuzzTests(ITestOutputHelper output)
{
    private const int Seed = 20261125;
    private const int Inputs = 12_000;

    [Fact]
    public async Task Parser_survives_mutated_and_random_input()
    {
        var corpus = Support.Corpus.InstalledToolPaths().Concat(Support.Corpus.ExamplePaths()).Select(File.ReadAllText).ToArray();
        Assert.NotEmpty(corpus);
        var random = new Random(Seed);
        var current = string.Empty;
        var cleanRoundTrips = 0;

        var work = Task.Run(() =>
        {
            for (var i = 0; i < Inputs; i++)
            {
                current = i % 10 == 9 ? ProgramMutator.RandomText(random) : ProgramMutator.Mutate(random, corpus);
                cleanRoundTrips += Check(current) ? 1 : 0;
            }
        });

        var finished = await Task.WhenAny(work, Task.Delay(TimeSpan.FromMinutes(5))) == work;
        Assert.True(finished, "the parser hung on this input:\n" + current);
        await work;
        output.WriteLine($"{Inputs} inputs (seed {Seed}); {cleanRoundTrips} parsed without errors and round-tripped");
        Assert.True(cleanRoundTrips > 100, "too few mutants parse cleanly for the round-trip property to mean much");
    }

    /// <summary>Returns true when the input parsed without errors (and then round-tripped).</summary>
    private static bool Check(string text)
    {
        ParseResult result;
        try
        {
            result = BpftraceParser.Parse(text, "fuzz.bt");
        }
        catch (Exception ex)
        {
            throw new Xunit.Sdk.XunitException($"parser threw {ex.GetType().Name}: {ex.Message}\ninput:\n{text}");
        }

        foreach (var diagnostic in result.Diagnostics)
        {
            AssertInside(diagnostic.Span, text, "diagnostic " + diagnostic.Code);
            Assert.False(string.IsNullOrWhiteSpace(diagnostic.Message));
            _ = Bpftrace.Diagnostics.DiagnosticFormatter.Format(diagnostic, result.Source);
        }

        foreach (var node in result.Program.DescendantNodesAndSelf())
        {
            AssertInside(node.Span, text, node.GetType().Name);
        }

        if (result.HasErrors)
        {
            return false;
        }

        var printed = BpftracePrinter.Print(result);
        var reparsed = BpftraceParser.Parse(new SourceText(printed, "fuzz-printed.bt"));
        if (reparsed.HasErrors || SyntaxTreeDump.Dump(reparsed.Program) != SyntaxTreeDump.Dump(result.Program))
        {
            throw new Xunit.Sdk.XunitException($"a clean parse did not round-trip\ninput:\n{text}\nprinted:\n{printed}\n{RoundTrip.Describe(reparsed)}");
        }

        return true;
    }

    private static void AssertInside(TextSpan span, string text, string what)
    {
        if (span.Start < 0 || span.Length < 0 || span.End > text.Length)
        {
            throw new Xunit.Sdk.XunitException($"{what} has span {span} outside the text (length {text.Length})\ninput:\n{text}");
        }
    }
}
