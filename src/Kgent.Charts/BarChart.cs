using Plotly.NET.CSharp;

namespace Kgent.Charts;

/// <summary>Bar charts of a map's rows as Plotly figures (<c>{"data": …, "layout": …}</c> JSON). The signature uses only
/// strings, arrays and numbers so a caller in another AssemblyLoadContext can invoke it by reflection.</summary>
public static class BarChart
{
    /// <summary>A figure of one bar per label: vertical columns in the given order (histogram buckets), or horizontal bars
    /// (keyed counts, which the caller sorts; the largest is drawn on top).</summary>
    public static string FigureJson(string[] labels, double[] values, string valueAxis, bool horizontal)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(values);
        if (labels.Length != values.Length)
        {
            throw new ArgumentException($"{labels.Length} labels but {values.Length} values", nameof(values));
        }

        var height = horizontal ? Math.Clamp(120 + (22 * labels.Length), 220, 900) : 360;
        var chart = horizontal
            ? Chart.Bar<double, string, string>(values: values.Reverse().ToArray(), Keys: labels.Reverse().ToArray())
                .WithXAxisStyle<double, double, string>(TitleText: valueAxis)
            : Chart.Column<double, string, string>(values: values, Keys: labels)
                .WithYAxisStyle<double, double, string>(TitleText: valueAxis);
        return Plotly.NET.GenericChart.toJson(chart.WithSize(640, height));
    }

    /// <summary>Grouped columns: one group per category, one colored series per name (values[series][category]).</summary>
    public static string GroupedFigureJson(string[] categories, string[] series, double[][] values, string valueAxis)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(values);
        if (series.Length != values.Length || values.Any(v => v.Length != categories.Length))
        {
            throw new ArgumentException("values must hold one row per series and one value per category", nameof(values));
        }

        var charts = series.Select((name, i) => Chart.Column<double, string, string>(values: values[i], Keys: categories, Name: name));
        return Plotly.NET.GenericChart.toJson(Chart.Combine(charts)
            .WithYAxisStyle<double, double, string>(TitleText: valueAxis)
            .WithSize(720, 420));
    }
}
