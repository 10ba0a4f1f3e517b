namespace Kgent.Kernel.Intent.Suite;

/// <summary>One program of the intent-check suite: the request it was written for, whether it is right (a style of a
/// correct program) or which mistake it makes, the verdict it must get, and for a wrong one the obligation that must
/// refute it and the line it must name. <see cref="Disagreement"/> explains a known difference between the expected
/// verdict and Kgent's (the case then checks that Kgent still disagrees, so the list stays true).</summary>
public sealed record IntentSuiteCase(
    string Id,
    string Category,
    string Request,
    string Kind,
    IntentVerdict Expect,
    ObligationKind? Obligation,
    int? Line,
    string? Disagreement,
    string Program,
    string Location);
