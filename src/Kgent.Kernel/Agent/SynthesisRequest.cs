namespace Kgent.Kernel.Agent;

/// <summary>What every loop does with a request first: trimmed, and refused with what to change when it is empty or longer
/// than <see cref="SynthesisOptions.MaxRequestLength"/>.</summary>
public static class SynthesisRequest
{
    /// <exception cref="SynthesisRequestException">The request is empty or too long.</exception>
    public static string Normalize(string? request)
    {
        var text = (request ?? string.Empty).Trim();
        if (text.Length == 0)
        {
            throw new SynthesisRequestException("the request is empty: describe what to trace, e.g. \"count file opens by process\"");
        }

        if (text.Length > SynthesisOptions.MaxRequestLength)
        {
            throw new SynthesisRequestException($"the request is {text.Length:N0} characters long; keep it under {SynthesisOptions.MaxRequestLength:N0}");
        }

        return text;
    }
}
