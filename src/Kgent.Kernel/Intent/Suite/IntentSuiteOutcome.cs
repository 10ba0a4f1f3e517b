namespace Kgent.Kernel.Intent.Suite;

/// <summary>How one suite program fared: Kgent's report, whether it matched the expectation (the verdict, and for a
/// refutation the obligation and line), and whether it is a false alarm (a correct program refuted).</summary>
public sealed record IntentSuiteOutcome(IntentSuiteCase Case, IntentReport Report, TimeSpan Elapsed)
{
    /// <summary>Kgent's verdict is the expected one, and a refutation names the expected obligation and line.</summary>
    public bool Matches => Report.Verdict == Case.Expect
        && (Case.Expect != IntentVerdict.Refuted || Report.Refuted.Any(r => r.Obligation.Kind == Case.Obligation && r.Line == Case.Line));

    /// <summary>As the data says: a match, or for a listed disagreement, still a difference.</summary>
    public bool AsExpected => Case.Disagreement is null ? Matches : !Matches;

    /// <summary>A correct program that Kgent refuted.</summary>
    public bool FalseAlarm => Case.Expect == IntentVerdict.Verified && Report.Verdict == IntentVerdict.Refuted;

    /// <summary>A wrong program that Kgent verified.</summary>
    public bool Missed => Case.Expect == IntentVerdict.Refuted && Report.Verdict == IntentVerdict.Verified;
}
