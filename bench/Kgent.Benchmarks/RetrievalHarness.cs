using System.Diagnostics;
using Kgent.Kernel.Examples;

namespace Kgent.Benchmarks;

/// <summary>Retrieval speed of the example store at 10,000 examples: median and p95 of <see cref="ExampleStore.Search"/>
/// (top 5) over 40 requests, after a warm-up.</summary>
public static class RetrievalHarness
{
    private static readonly string[] Hooks =
    [
        "syscalls:sys_enter_openat", "syscalls:sys_exit_read", "syscalls:sys_enter_write", "sched:sched_switch", "sched:sched_process_exec",
        "block:block_rq_issue", "kmem:kmalloc", "sock:inet_sock_set_state", "tcp:tcp_retransmit_skb", "net:net_dev_xmit",
    ];

    private static readonly string[] Verbs = ["count", "trace", "histogram of", "sum", "print", "top", "latency of", "rate of"];

    private static readonly string[] Things =
    [
        "file opens", "reads", "writes", "context switches", "new processes", "disk requests", "allocations", "tcp connects",
        "retransmits", "packets sent", "page faults", "signals", "syscalls", "bytes", "errors",
    ];

    private static readonly string[] Groupings = ["by process", "by pid", "per cpu", "for one command", "over time", "with sizes", "with latency", ""];

    public static void Run(TextWriter output)
    {
        var path = Path.Combine(Path.GetTempPath(), $"kgent-retrieval-{Guid.NewGuid():N}.db");
        try
        {
            using var store = ExampleStore.Open(path);
            var random = new Random(5);
            var examples = Enumerable.Range(0, 10_000).Select(i =>
            {
                var request = $"{Verbs[random.Next(Verbs.Length)]} {Things[random.Next(Things.Length)]} {Groupings[random.Next(Groupings.Length)]} variant {i}";
                var program = $"tracepoint:{Hooks[random.Next(Hooks.Length)]} {{ @[comm] = count(); @n{i} = {i}; }}\n";
                return Example.New(request, program, "benchmark");
            }).ToList();
            var load = Stopwatch.StartNew();
            store.AddRange(examples);
            load.Stop();

            var queries = Enumerable.Range(0, 40).Select(i => $"{Verbs[i % Verbs.Length]} {Things[i % Things.Length]} {Groupings[i % Groupings.Length]}").ToList();
            foreach (var query in queries)
            {
                store.Search(query, 5);
            }

            var samples = new List<double>();
            foreach (var query in queries.Concat(queries).Concat(queries))
            {
                var watch = Stopwatch.StartNew();
                store.Search(query, 5);
                samples.Add(watch.Elapsed.TotalMilliseconds);
            }

            samples.Sort();
            output.WriteLine($"example store with {store.Count:N0} examples (inserted in one transaction in {load.Elapsed.TotalMilliseconds:F0} ms)");
            output.WriteLine($"search, top 5: median {samples[samples.Count / 2]:F2} ms, p95 {samples[(int)(samples.Count * 0.95)]:F2} ms, max {samples[^1]:F2} ms ({samples.Count} queries)");
        }
        finally
        {
            foreach (var file in new[] { path, path + "-wal", path + "-shm" })
            {
                File.Delete(file);
            }
        }
    }
}
