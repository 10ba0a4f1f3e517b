using System.Collections.Immutable;
using Kgent.Kernel.Examples;
using Kgent.Kernel.Intent;

namespace Kgent.Kernel.Agent;

/// <summary>The retrieve stage's result: the request, its embedding (null without an embeddings model, or when it
/// failed: retrieval is then BM25 alone), and the most similar stored examples.</summary>
public sealed record Retrieval(string Request, ReadOnlyMemory<float>? Embedding, ImmutableArray<ExampleMatch> Examples);

/// <summary>The synthesize stage's result: the prompt it answered, the model's reply, the program taken from it (null
/// when the reply held none), how many programs the reply held, and the tokens the provider reported.</summary>
public sealed record Synthesis(Prompt Prompt, string Reply, Candidate? Candidate, int CandidatesInReply, long? InputTokens, long? OutputTokens);

/// <summary>The comprehend stage's result: the model's reply and the annotated program, or null with the reason it was
/// not used (no annotated program, no annotation added, or a program that differs beyond its annotations).</summary>
public sealed record Comprehension(string Reply, string? Annotated, string? WhyNot);

/// <summary>The request's intent specification, read once per request, with notes (a fallback to the offline reader).</summary>
public sealed record Specification(IntentSpec? Spec, ImmutableArray<string> Notes);
