namespace Kgent.Kernel.Processes;

/// <summary>A child of an earlier Kgent that is gone: the processes of it still running (normally none: its guard killed
/// them) and whether its temporary folder is still there.</summary>
public sealed record Leftover(ChildRecord Record, string RecordPath, IReadOnlyList<ProcStat> Processes, bool DirectoryExists)
{
    /// <summary>True when something of it still runs or still lies on disk (otherwise only its record is stale).</summary>
    public bool NeedsCleaning => Processes.Count > 0 || DirectoryExists;

    public string Describe()
    {
        var what = new List<string>();
        if (Processes.Count > 0)
        {
            what.Add($"{Processes.Count} process{(Processes.Count == 1 ? "" : "es")} still running ({string.Join(", ", Processes.Select(p => $"{p.Pid} {p.Command}"))})");
        }

        if (DirectoryExists)
        {
            what.Add($"its folder {Record.Directory}");
        }

        return $"{Record.Label} started {Record.Started:u} by kgent {Record.Owner.Pid}: " + (what.Count == 0 ? "nothing left but its record" : string.Join(" and ", what));
    }
}
