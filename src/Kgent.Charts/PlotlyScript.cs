namespace Kgent.Charts;

/// <summary>The plotly.js bundle that Plotly.NET embeds, so charts draw without a network.</summary>
public static class PlotlyScript
{
    public const string ResourceName = "Plotly.NET.plotly-2.28.0.min.js";

    public static string Source()
    {
        using var stream = typeof(Plotly.NET.GenericChart).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Plotly.NET no longer embeds {ResourceName}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
