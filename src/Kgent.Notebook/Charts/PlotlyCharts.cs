using System.Reflection;
using System.Runtime.Loader;
using System.Text;

namespace Kgent.Notebook.Charts;

/// <summary>Plotly charts for notebook outputs. Plotly.NET 6 needs FSharp.Core 10.1 while the notebook hosts ship 10.0
/// (shared/notes/dotnet-interactive-extensions.md), so Kgent.Charts and its dependencies load in their own
/// AssemblyLoadContext from the <c>kgent-charts</c> folder (beside this assembly in a build, at the package root in the
/// NuGet package) and are called by reflection with strings and arrays only. plotly.js is inlined once per process
/// (the notebook's first chart), so charts draw offline; each chart keeps a static SVG inside its element, which stays
/// when scripts do not run (a plain HTML viewer) or Kgent.Charts is missing.</summary>
public static class PlotlyCharts
{
    public const string Folder = "kgent-charts";

    private static readonly Lazy<Loaded?> Library = new(Load);
    private static int charts;
    private static int scriptSent;

    /// <summary>Why charts are static only in this process, or null when Plotly is available.</summary>
    public static string? Unavailable => Library.Value is null ? LoadProblem ?? "not loaded" : null;

    private static string? LoadProblem { get; set; }

    /// <summary>A bar chart element: <paramref name="fallback"/> (static SVG) drawn over by Plotly when scripts run.</summary>
    public static string Bars(string[] labels, double[] values, string valueAxis, bool horizontal, string fallback) =>
        Draw(library => (string)library.Figure.Invoke(null, [labels, values, valueAxis, horizontal])!, fallback);

    private static string Draw(Func<Loaded, string> figureOf, string fallback)
    {
        var id = $"kgent-chart-{Interlocked.Increment(ref charts)}";
        var element = $"<div class='kg-plotly' id='{id}'>{fallback}</div>";
        if (Library.Value is not { } library)
        {
            return element;
        }

        string figure;
        try
        {
            figure = figureOf(library);
        }
        catch (TargetInvocationException e)
        {
            return element + $"<div class='kg-hint'>chart: {System.Net.WebUtility.HtmlEncode(e.InnerException?.Message ?? e.Message)}</div>";
        }

        var builder = new StringBuilder(element);
        if (Interlocked.Exchange(ref scriptSent, 1) == 0)
        {
            // plotly.js is a UMD bundle: under require.js (Jupyter's classic pages, nbconvert's HTML) it would register an
            // anonymous module and fail ("Mismatched anonymous define()"), so `define` is hidden while it runs.
            builder.Append("<script>window.kgentDefine=window.define;window.define=undefined;</script><script>")
                .Append(ScriptSafe(library.PlotlyJs()))
                .Append("</script><script>window.define=window.kgentDefine;(window.kgentCharts||[]).forEach(function(f){f();});window.kgentCharts=[];</script>");
        }

        builder.Append("<script>(function(){var figure=").Append(ScriptSafe(figure)).Append(';')
            .Append("function draw(){var el=document.getElementById('").Append(id).Append("');if(!el||!window.Plotly)return;el.innerHTML='';")
            .Append("window.Plotly.newPlot(el,figure.data,figure.layout,{displaylogo:false,responsive:true});}")
            .Append("if(window.Plotly){draw();}else{(window.kgentCharts=window.kgentCharts||[]).push(draw);}})();</script>");
        return builder.ToString();
    }

    /// <summary>Grouped columns (values[series][category]) over a static fallback.</summary>
    public static string GroupedBars(string[] categories, string[] series, double[][] values, string valueAxis, string fallback) =>
        Draw(library => (string)library.Grouped.Invoke(null, [categories, series, values, valueAxis])!, fallback);

    private static string ScriptSafe(string script) => script.Replace("</", "<\\/", StringComparison.Ordinal);

    private static Loaded? Load()
    {
        var here = Path.GetDirectoryName(typeof(PlotlyCharts).Assembly.Location) ?? AppContext.BaseDirectory;
        var folder = new[] { Path.Combine(here, Folder), Path.GetFullPath(Path.Combine(here, "..", "..", Folder)) }
            .FirstOrDefault(f => File.Exists(Path.Combine(f, "Kgent.Charts.dll")));
        if (folder is null)
        {
            LoadProblem = $"no {Folder}/Kgent.Charts.dll beside {here}";
            return null;
        }

        try
        {
            var context = new ChartsLoadContext(folder);
            var assembly = context.LoadFromAssemblyPath(Path.Combine(folder, "Kgent.Charts.dll"));
            var figure = assembly.GetType("Kgent.Charts.BarChart")?.GetMethod("FigureJson");
            var grouped = assembly.GetType("Kgent.Charts.BarChart")?.GetMethod("GroupedFigureJson");
            var source = assembly.GetType("Kgent.Charts.PlotlyScript")?.GetMethod("Source");
            if (figure is null || grouped is null || source is null)
            {
                LoadProblem = "Kgent.Charts lacks BarChart.FigureJson, BarChart.GroupedFigureJson or PlotlyScript.Source";
                return null;
            }

            var script = new Lazy<string>(() => (string)source.Invoke(null, null)!);
            return new Loaded(figure, grouped, () => script.Value);
        }
        catch (Exception e) when (e is IOException or BadImageFormatException or TargetInvocationException)
        {
            LoadProblem = e.Message;
            return null;
        }
    }

    private sealed record Loaded(MethodInfo Figure, MethodInfo Grouped, Func<string> PlotlyJs);

    /// <summary>Resolves Kgent.Charts' dependencies (Plotly.NET, FSharp.Core 10.1, …) from its folder first, so they never
    /// meet the host's FSharp.Core.</summary>
    private sealed class ChartsLoadContext(string folder) : AssemblyLoadContext("kgent-charts")
    {
        protected override Assembly? Load(AssemblyName name)
        {
            var path = Path.Combine(folder, name.Name + ".dll");
            return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
        }
    }
}
