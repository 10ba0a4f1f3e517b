using System.Collections.Immutable;
using Kgent.Kernel.KernelInfo.Catalog;

namespace Kgent.Kernel.Intent;

/// <summary>Reads a request into an <see cref="IntentSpec"/>. Two producers stand behind it: the offline reader (its own
/// vocabulary, deterministic) and the model (a JSON reply validated against the schema).</summary>
public interface IIntentProducer
{
    Task<IntentReading> ReadAsync(string request, ProbeCatalog? catalog, CancellationToken cancellation = default);
}

/// <summary>A producer's answer: the specification, or none with the problems that made the answer unusable (a
/// model's reply that is not valid JSON of the schema). The problems become feedback.</summary>
public sealed record IntentReading(IntentSpec? Spec, ImmutableArray<string> Problems, string Producer)
{
    public static IntentReading Of(IntentSpec spec) => new(spec, [], spec.Producer);
}
