using System.Collections.Immutable;

namespace Kgent.Kernel.Evaluation;

/// <summary>A set of evaluation cases, from a folder of YAML files, one YAML file, or a plain text file of prompts (one
/// per line, no oracles).</summary>
public sealed record EvalSuite(string Source, ImmutableArray<EvalCase> Cases)
{
    public bool HasOracles => Cases.Any(c => c.Oracle is not null);
}
