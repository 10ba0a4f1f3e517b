namespace Kgent.Kernel.Intent;

/// <summary>How the intent check's enums are named for people and in JSON: the kebab-case form the specification's JSON
/// uses (<c>linear-histogram</c>, <c>process-name</c>, <c>for-writing</c>), and the verdicts as
/// <see cref="Symbolic.VerdictKindNames"/> names the symbolic verifier's.</summary>
public static class IntentNames
{
    /// <summary>An enum value as the JSON names it: <c>LinearHistogram</c> → <c>linear-histogram</c>.</summary>
    public static string Of(Enum value) => System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());

    /// <summary>"verified", "refuted", "unknown", "nothing to prove", "refused".</summary>
    public static string Display(this IntentVerdict verdict) => verdict == IntentVerdict.NothingToProve ? "nothing to prove" : verdict.ToString().ToLowerInvariant();

    /// <summary>The machine-readable name: "nothing-to-prove" and the others as shown.</summary>
    public static string Json(this IntentVerdict verdict) => verdict.Display().Replace(' ', '-');
}
