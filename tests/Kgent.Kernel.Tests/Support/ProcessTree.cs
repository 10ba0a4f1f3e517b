using System.Globalization;
using Kgent.Kernel.Processes;

namespace Kgent.Kernel.Tests.Support;

/// <summary>What a process started, seen from outside: every descendant (by parent pid, so a child that starts its own
/// session still counts) with its identity, and the BPF programs each bpftrace among them holds (the <c>prog_id</c> of
/// its bpf-prog file descriptors). Polled while the process runs, so what it started and stopped is remembered too.</summary>
public sealed class ProcessTree
{
    private readonly int root;
    private readonly Dictionary<ProcessIdentity, string> seen = [];
    private readonly HashSet<int> programs = [];

    public ProcessTree(int root)
    {
        this.root = root;
    }

    public IReadOnlyDictionary<ProcessIdentity, string> Descendants => seen;

    public IReadOnlySet<int> ProgramIds => programs;

    /// <summary>Adds what runs under the root now.</summary>
    public void Poll()
    {
        var all = ProcStat.All();
        var children = all.ToLookup(p => p.ParentPid);
        var queue = new Queue<int>([root]);
        while (queue.Count > 0)
        {
            foreach (var child in children[queue.Dequeue()])
            {
                seen.TryAdd(new ProcessIdentity(child.Pid, child.StartTicks), child.Command);
                queue.Enqueue(child.Pid);
                if (child.Command == "bpftrace")
                {
                    programs.UnionWith(ProgramsOf(child.Pid));
                }
            }
        }
    }

    /// <summary>The descendants still running (zombies are gone: they hold nothing).</summary>
    public IReadOnlyList<string> Survivors() =>
        [.. seen.Where(p => p.Key.IsAlive).Select(p => $"{p.Key.Pid} {p.Value}")];

    /// <summary>The recorded BPF programs the kernel still has.</summary>
    public IReadOnlyList<int> LoadedPrograms() => [.. programs.Where(BpfPrograms.IsLoaded)];

    private static IEnumerable<int> ProgramsOf(int pid)
    {
        string[] descriptors;
        try
        {
            descriptors = Directory.GetFiles($"/proc/{pid}/fdinfo");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            yield break;
        }

        foreach (var descriptor in descriptors)
        {
            string text;
            try
            {
                text = File.ReadAllText(descriptor);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            foreach (var line in text.Split('\n'))
            {
                if (line.StartsWith("prog_id:", StringComparison.Ordinal)
                    && int.TryParse(line["prog_id:".Length..].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                {
                    yield return id;
                }
            }
        }
    }
}
