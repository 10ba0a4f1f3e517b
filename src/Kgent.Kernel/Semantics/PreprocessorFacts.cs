namespace Kgent.Kernel.Semantics;

/// <summary>What the program's C part (preprocessor lines and C definitions) contributes: identifiers it makes
/// known (macros, enum constants), struct and type names it defines, and whether the identifier set is complete
/// (false when an include could not be read, so unknown identifiers are not reported).</summary>
internal sealed record PreprocessorFacts(IReadOnlySet<string> Identifiers, IReadOnlySet<string> UserTypes, bool IdentifiersComplete);
