using System.Text.Json.Serialization;
using System.Text.Json;

namespace Kgent.Kernel.Evaluation;

/// <summary>results.jsonl: one <see cref="EvalRun"/> per line, appended and flushed as each run finishes, so an
/// interrupted evaluation loses at most the run in progress. A torn last line (the process died mid-write) is ignored
/// on reading and that run is done again.</summary>
public static class EvalResultsFile
{
    public const string FileName = "results.jsonl";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
        WriteIndented = false,
    };

    public static List<EvalRun> Read(string directory)
    {
        var path = Path.Combine(directory, FileName);
        var runs = new List<EvalRun>();
        if (!File.Exists(path))
        {
            return runs;
        }

        foreach (var line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                if (JsonSerializer.Deserialize<EvalRun>(line, Json) is { } run)
                {
                    runs.Add(run);
                }
            }
            catch (JsonException)
            {
                // A line cut short by a crash: that run is repeated.
            }
        }

        return runs;
    }

    /// <summary>Appends one run as a line (through <see cref="Platform.SafeFile"/>, so a device or FIFO named as the results
    /// folder's file is refused), with every secret scrubbed.</summary>
    public static void Append(string directory, EvalRun run)
    {
        var path = Path.Combine(directory, FileName);
        var line = Platform.Secrets.Scrub(JsonSerializer.Serialize(run, Json)) + "\n";
        if (File.Exists(path) && new FileInfo(path).Length > 0)
        {
            // After a torn write the file may not end in a newline; start this run on a line of its own.
            using var check = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            check.Seek(-1, SeekOrigin.End);
            if (check.ReadByte() != '\n')
            {
                line = "\n" + line;
            }
        }

        Platform.SafeFile.AppendAllText(path, line);
    }
}
