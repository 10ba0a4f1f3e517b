using System.IO.Compression;
using Kgent.Kernel.Tests.Support;
using Xunit.Abstractions;
using YamlDotNet.RepresentationModel;

namespace Kgent.Kernel.Tests.Versions;

/// <summary>datasets/bpftrace-versions/language.yaml dates each language feature by bpftrace's own CHANGELOG: every quoted
/// line must be a bullet of the CHANGELOG that bpftrace 0.27.1 ships, under the release the data names. Checked against
/// the real file when the sid tree is present.</summary>
public sealed class LanguageVersionDataTests(ITestOutputHelper output)
{
    private static readonly (string Quote, string Release)[] Keys = [("changelog", "added"), ("stable_changelog", "stable"), ("removed_changelog", "removed")];

    [Fact]
    public void Every_feature_is_dated_by_a_line_of_the_shipped_changelog_under_its_release()
    {
        var features = Features();
        Assert.True(features.Count >= 15, $"{features.Count} features");
        if (BpftraceTrees.Missing("sid") is { } reason)
        {
            output.WriteLine($"skipped the comparison with the shipped CHANGELOG: {reason}");
            return;
        }

        using var gzip = new GZipStream(File.OpenRead(Path.Combine(BpftraceTrees.Tree("sid"), "usr", "share", "doc", "bpftrace", "changelog.gz")), CompressionMode.Decompress);
        var release = (string?)null;
        var bullets = new HashSet<(string Release, string Line)>();
        foreach (var line in new StreamReader(gzip).ReadToEnd().Split('\n'))
        {
            if (line.StartsWith("## [", StringComparison.Ordinal))
            {
                release = line[4..line.IndexOf(']', StringComparison.Ordinal)];
            }
            else if (release is not null && line.StartsWith("- ", StringComparison.Ordinal))
            {
                bullets.Add((release, line[2..].Trim()));
            }
        }

        foreach (var feature in features)
        {
            foreach (var (quote, when) in Keys)
            {
                if (!feature.TryGetValue(quote, out var text))
                {
                    continue;
                }

                var version = feature.GetValueOrDefault(when) ?? feature.GetValueOrDefault("deprecated") ?? feature["fixed"];
                Assert.True(bullets.Contains((version, text)), $"{feature["id"]}: \"{text}\" is not a line of the CHANGELOG under {version}");
            }
        }
    }

    private static List<Dictionary<string, string>> Features()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(Path.Combine(Support.Corpus.RepositoryRoot, "datasets", "bpftrace-versions", "language.yaml"))));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        return [.. ((YamlSequenceNode)root.Children[new YamlScalarNode("features")]).Children.Cast<YamlMappingNode>()
            .Select(m => m.Children.Where(c => c.Value is YamlScalarNode { Value: not null and not "null" })
                .ToDictionary(c => ((YamlScalarNode)c.Key).Value!, c => ((YamlScalarNode)c.Value).Value!))];
    }
}
