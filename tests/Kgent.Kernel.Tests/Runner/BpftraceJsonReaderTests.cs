using Kgent.Kernel.Runner;

namespace Kgent.Kernel.Tests.Runner;

/// <summary>bpftrace 0.17's JSON lines (as recorded on this host) become typed map data.</summary>
public sealed class BpftraceJsonReaderTests
{
    private static BpftraceJsonReader Read(params string[] lines) => Read(null, lines);

    private static BpftraceJsonReader Read(Dictionary<string, int>? arity, params string[] lines)
    {
        var reader = new BpftraceJsonReader(arity);
        foreach (var line in lines)
        {
            reader.Read(line);
        }

        return reader;
    }

    [Fact]
    public void Printf_and_other_events_and_blank_lines()
    {
        var reader = Read("{\"type\": \"attached_probes\", \"data\": {\"probes\": 2}}", "{\"type\": \"printf\", \"data\": \"quote \\\" backslash \\\\ tab \\t end\\n\"}",
            string.Empty, string.Empty, "{\"type\": \"time\", \"data\": \"08:02:27\\n\"}", "not json", "{\"type\": \"join\", \"data\": \"/bin/true a b\"}");

        Assert.Equal(["quote \" backslash \\ tab \t end\n"], reader.Printf);
        Assert.Equal([("time", "08:02:27\n"), ("join", "/bin/true a b")], reader.Other);
        Assert.Equal(1, reader.UnreadableLines);
    }

    [Fact]
    public void Scalars_strings_and_keyed_counts()
    {
        var reader = Read("{\"type\": \"map\", \"data\": {\"@sum\": 12}}", "{\"type\": \"map\", \"data\": {\"@str\": \"text\"}}",
            "{\"type\": \"map\", \"data\": {\"@opens\": {\"sh\": 2, \"bash\": 3}}}", "{\"type\": \"map\", \"data\": {\"@ikey\": {\"-3\": 1, \"5\": 1}}}");

        Assert.Equal(new MapData.Scalar(12), reader.Maps[0].Data);
        Assert.Equal(new MapData.Text("text"), reader.Maps[1].Data);
        var opens = Assert.IsType<MapData.Keyed>(reader.Maps[2].Data);
        Assert.Equal(new MapData.Scalar(3), opens["bash"]);
        Assert.Equal("@ikey", reader.Maps[3].Name);
        Assert.Equal(new MapData.Scalar(1), ((MapData.Keyed)reader.Maps[3].Data)["-3"]);
    }

    [Fact]
    public void Tuple_keys_split_by_the_programs_arity()
    {
        var reader = Read(new Dictionary<string, int> { ["@bytes"] = 2, ["@tup"] = 2 },
            "{\"type\": \"map\", \"data\": {\"@bytes\": {\"sh,20999\": 2}}}", "{\"type\": \"map\", \"data\": {\"@tup\": {\"1,a\": 1, \"2,b,c\": 1}}}");

        Assert.Equal(["sh", "20999"], ((MapData.Keyed)reader.Maps[0].Data).Entries[0].KeyParts.ToArray());
        var tuple = (MapData.Keyed)reader.Maps[1].Data;
        Assert.Equal(["1", "a"], tuple.Entries[0].KeyParts.ToArray());
        // Ambiguous ("2", "b,c") vs ("2,b", "c"): the extra comma stays in the first part, the key is kept whole.
        Assert.Equal("2,b,c", tuple.Entries[1].Key);
        Assert.Equal(2, tuple.Entries[1].KeyParts.Length);
    }

    [Fact]
    public void Histograms_with_open_ended_buckets()
    {
        var reader = Read(
            "{\"type\": \"hist\", \"data\": {\"@h\": [{\"min\": 0, \"max\": 0, \"count\": 1}, {\"min\": 4, \"max\": 7, \"count\": 2}]}}",
            "{\"type\": \"hist\", \"data\": {\"@hneg\": [{\"max\": -1, \"count\": 1}]}}",
            "{\"type\": \"hist\", \"data\": {\"@l\": [{\"min\": 0, \"max\": 9, \"count\": 1}, {\"min\": 100, \"count\": 1}]}}",
            "{\"type\": \"hist\", \"data\": {\"@hk\": {\"x\": [{\"min\": 8, \"max\": 15, \"count\": 1}]}}}");

        var h = Assert.IsType<MapData.Histogram>(reader.Maps[0].Data);
        Assert.Equal(3, h.Samples);
        Assert.Equal(new HistogramBucket(4, 7, 2), h.Buckets[1]);
        Assert.Equal(new HistogramBucket(null, -1, 1), ((MapData.Histogram)reader.Maps[1].Data).Buckets[0]);
        Assert.Equal(new HistogramBucket(100, null, 1), ((MapData.Histogram)reader.Maps[2].Data).Buckets[1]);
        Assert.IsType<MapData.Histogram>(((MapData.Keyed)reader.Maps[3].Data)["x"]);
    }

    [Fact]
    public void Stats_and_averages()
    {
        var reader = Read("{\"type\": \"stats\", \"data\": {\"@a\": 20}}", "{\"type\": \"stats\", \"data\": {\"@ak\": {\"x\": 4}}}",
            "{\"type\": \"stats\", \"data\": {\"@s\": {\"count\": 2, \"average\": 20, \"total\": 40}}}",
            "{\"type\": \"stats\", \"data\": {\"@sk\": {\"x\": {\"count\": 1, \"average\": 2, \"total\": 2}}}}");

        Assert.Equal(new MapData.Scalar(20), reader.Maps[0].Data);
        Assert.Equal(new MapData.Scalar(4), ((MapData.Keyed)reader.Maps[1].Data)["x"]);
        Assert.Equal(new MapData.Stats(2, 20, 40), reader.Maps[2].Data);
        Assert.Equal(new MapData.Stats(1, 2, 2), ((MapData.Keyed)reader.Maps[3].Data)["x"]);
    }
}
