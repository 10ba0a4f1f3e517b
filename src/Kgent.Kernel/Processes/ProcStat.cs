using System.Globalization;

namespace Kgent.Kernel.Processes;

/// <summary>The fields of <c>/proc/PID/stat</c> Kgent uses to tell its children apart from other processes.</summary>
public sealed record ProcStat(int Pid, string Command, char State, int ParentPid, int ProcessGroup, int Session, long StartTicks)
{
    /// <summary>Reads one process's stat line; null when the process does not exist (or exited while being read).</summary>
    public static ProcStat? Read(int pid)
    {
        try
        {
            return Parse(pid, File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Every process on the machine (those that exit while being listed are left out).</summary>
    public static IReadOnlyList<ProcStat> All()
    {
        var all = new List<ProcStat>();
        string[] entries;
        try
        {
            entries = Directory.GetDirectories("/proc");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return all;
        }

        foreach (var entry in entries)
        {
            if (int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && Read(pid) is { } stat)
            {
                all.Add(stat);
            }
        }

        return all;
    }

    /// <summary>"pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime
    /// priority nice threads itrealvalue starttime ...": comm may hold spaces and parentheses, so fields are counted after
    /// its last ')'.</summary>
    internal static ProcStat? Parse(int pid, string line)
    {
        var open = line.IndexOf('(', StringComparison.Ordinal);
        var close = line.LastIndexOf(')');
        if (open < 0 || close < open)
        {
            return null;
        }

        var fields = line[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 20 || fields[0].Length != 1
            || !int.TryParse(fields[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var parent)
            || !int.TryParse(fields[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var group)
            || !int.TryParse(fields[3], NumberStyles.Integer, CultureInfo.InvariantCulture, out var session)
            || !long.TryParse(fields[19], NumberStyles.Integer, CultureInfo.InvariantCulture, out var start))
        {
            return null;
        }

        return new ProcStat(pid, line[(open + 1)..close], fields[0][0], parent, group, session, start);
    }
}
