using Kgent.Kernel.KernelInfo.Tracepoints;

namespace Kgent.Kernel.Tests.KernelInfo;

public sealed class TracepointFormatParserTests
{
    private const string InetSockSetState = """
        name: inet_sock_set_state
        ID: 2287
        format:
        	field:unsigned short common_type;	offset:0;	size:2;	signed:0;
        	field:int common_pid;	offset:4;	size:4;	signed:1;

        	field:const void * skaddr;	offset:8;	size:8;	signed:0;
        	field:int oldstate;	offset:16;	size:4;	signed:1;
        	field:__u16 sport;	offset:24;	size:2;	signed:0;
        	field:__u8 saddr[4];	offset:32;	size:4;	signed:0;
        	field:__data_loc char[] name;	offset:40;	size:4;	signed:0;
        	field:char comm[TASK_COMM_LEN];	offset:44;	size:16;	signed:0;

        print fmt: "family=%s", REC->family
        """;

    [Fact]
    public void Parses_fields_without_the_common_header()
    {
        var format = TracepointFormatParser.Parse("sock", "inet_sock_set_state", InetSockSetState);
        Assert.Equal(2287, format.Id);
        Assert.Equal(["skaddr", "oldstate", "sport", "saddr", "name", "comm"], format.Fields.Select(f => f.Name));
        Assert.Equal("const void *", format.FindField("skaddr")!.CType);
        Assert.True(format.FindField("skaddr")!.IsPointer);
        Assert.True(format.FindField("oldstate")!.IsSigned);
        Assert.Equal(4, format.FindField("saddr")!.ArrayLength);
        Assert.Equal("__u8 saddr[4]", format.FindField("saddr")!.Declaration);
        Assert.True(format.FindField("name")!.IsDataLoc);
        Assert.Equal("char", format.FindField("name")!.CType);
        Assert.Equal(16, format.FindField("comm")!.ArrayLength);
        Assert.True(format.FindField("comm")!.IsCharArray);
    }

    [Fact]
    public void Every_field_line_of_every_live_tracepoint_parses()
    {
        var tracing = TracefsReader.FindTracingDirectory();
        if (tracing is null)
        {
            return; // no tracefs here: the snapshot tests cover the catalog
        }

        var failures = new List<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(tracing, "events"), "format", SearchOption.AllDirectories).Take(3000))
        {
            foreach (var line in File.ReadLines(file).Select(l => l.Trim()).Where(l => l.StartsWith("field:", StringComparison.Ordinal)))
            {
                if (TracepointFormatParser.ParseField(line) is null)
                {
                    failures.Add($"{file}: {line}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures.Take(20)));
    }
}
