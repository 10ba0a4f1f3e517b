using System.Net;
using System.Text;

namespace Kgent.Charts;

/// <summary>A standalone HTML page of Plotly figures with plotly.js inlined, so it opens offline in any browser.</summary>
public static class ChartPage
{
    public static string Html(string title, string[] headings, string[] figureJsons)
    {
        ArgumentNullException.ThrowIfNull(headings);
        ArgumentNullException.ThrowIfNull(figureJsons);
        var builder = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>")
            .Append(WebUtility.HtmlEncode(title))
            .Append("</title><style>body{font-family:system-ui,sans-serif;margin:24px}</style><script>")
            .Append(PlotlyScript.Source().Replace("</", "<\\/", StringComparison.Ordinal))
            .Append("</script></head><body><h1>").Append(WebUtility.HtmlEncode(title)).Append("</h1>\n");
        for (var i = 0; i < figureJsons.Length; i++)
        {
            builder.Append("<h2>").Append(WebUtility.HtmlEncode(headings[i])).Append("</h2><div id='chart").Append(i).Append("'></div>\n")
                .Append("<script>(function(){var f=").Append(figureJsons[i].Replace("</", "<\\/", StringComparison.Ordinal))
                .Append(";Plotly.newPlot('chart").Append(i).Append("',f.data,f.layout,{displaylogo:false});})();</script>\n");
        }

        return builder.Append("</body></html>\n").ToString();
    }
}
