using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Kgent.Kernel.Examples;

/// <summary>The example store: SQLite with an FTS5 index per language over requests and programs, ranked by BM25. Writes are
/// transactions (WAL journal), so a crash in the middle of an import loses nothing that was committed and leaves no
/// half-written batch. Each verified synthesis is added back with its provenance. The safety policy guards both ends:
/// a program that calls an unsafe builtin (directly or through a macro) is never stored, and one that got into the file
/// some other way is never retrieved.</summary>
public sealed class ExampleStore : IDisposable
{
    private const string Schema = """
        PRAGMA journal_mode = WAL;
        PRAGMA synchronous = NORMAL;
        CREATE TABLE IF NOT EXISTS examples (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            request TEXT NOT NULL,
            program TEXT NOT NULL,
            source TEXT NOT NULL,
            added_at TEXT NOT NULL,
            embedding BLOB NULL);
        CREATE UNIQUE INDEX IF NOT EXISTS examples_unique ON examples(request, program);
        """;

    /// <summary>One full-text index per language, each fed by triggers for its own rows only, so one language's words
    /// never change the other's BM25 statistics (a C program's words would shift which bpftrace examples rank first).
    /// Stores made before this had one index over every row, fed by <c>examples_ai</c>/<c>examples_ad</c>: those
    /// triggers are replaced and both indexes rebuilt from the rows, once.</summary>
    private static string Indexes => string.Concat(Languages.Select(l => $"""
        CREATE VIRTUAL TABLE IF NOT EXISTS {IndexOf(l)} USING fts5(request, program, content='examples', content_rowid='id',
            tokenize = "porter unicode61 tokenchars '_'");
        CREATE TRIGGER IF NOT EXISTS examples_ai_{l} AFTER INSERT ON examples WHEN new.language = '{l}' BEGIN
            INSERT INTO {IndexOf(l)}(rowid, request, program) VALUES (new.id, new.request, new.program);
        END;
        CREATE TRIGGER IF NOT EXISTS examples_ad_{l} AFTER DELETE ON examples WHEN old.language = '{l}' BEGIN
            INSERT INTO {IndexOf(l)}({IndexOf(l)}, rowid, request, program) VALUES ('delete', old.id, old.request, old.program);
        END;

        """));

    private static readonly string[] Languages = [Example.Bpftrace, Example.C];

    /// <summary>The full-text index of a language's examples (the bpftrace one keeps the name older stores gave the only one).</summary>
    private static string IndexOf(string language) => language switch
    {
        Example.Bpftrace => "examples_fts",
        Example.C => "examples_fts_c",
        _ => throw new ArgumentException($"the example store holds bpftrace and c examples, not '{language}'", nameof(language)),
    };

    private readonly SqliteConnection connection;

    /// <summary>Crash simulation for tests: with <c>KGENT_CRASH_AFTER_WRITES=N</c> the process dies (no cleanup, like a
    /// power cut or SIGKILL) after writing N examples inside a transaction, before it commits.</summary>
    private static readonly int? CrashAfterWrites =
        int.TryParse(Environment.GetEnvironmentVariable("KGENT_CRASH_AFTER_WRITES"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;

    private ExampleStore(SqliteConnection connection, string path)
    {
        this.connection = connection;
        Path = path;
    }

    public string Path { get; }

    /// <summary>The default store: <c>KGENT_EXAMPLES</c>, else <c>~/.local/share/kgent/examples.db</c>.</summary>
    public static string DefaultPath =>
        Environment.GetEnvironmentVariable("KGENT_EXAMPLES") is { Length: > 0 } configured
            ? configured
            : System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "kgent", "examples.db");

    /// <summary>Opens the store, creating it (and its folder) when it does not exist yet.</summary>
    public static ExampleStore Open(string path) => Open(path, create: true);

    /// <summary>Opens a store that must exist already (for listing and searching: a typo in --store must not create an
    /// empty store and report "0 examples").</summary>
    public static ExampleStore OpenExisting(string path) => Open(path, create: false);

    private static ExampleStore Open(string path, bool create)
    {
        try
        {
            if (!create && !File.Exists(path))
            {
                throw new ExampleStoreException($"there is no example store at {path} (kgent examples import creates one, or pass another --store)");
            }

            // SQLite writes the file in place and beside it (-wal, -shm): it must be a regular file, not a device or a FIFO.
            Platform.SafeFile.CheckWritable(path);
            if (create && System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path)) is { } directory)
            {
                Directory.CreateDirectory(directory);
            }

            var connection = new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = path,
                Pooling = false,
                Mode = create ? SqliteOpenMode.ReadWriteCreate : SqliteOpenMode.ReadWrite,
            }.ToString());
            connection.Open();
            using (var command = connection.CreateCommand())
            {
                command.CommandText = Schema;
                command.ExecuteNonQuery();
            }

            AddLanguageColumn(connection);
            IndexPerLanguage(connection);
            return new ExampleStore(connection, path);
        }
        catch (Platform.FileWriteException e)
        {
            throw new ExampleStoreException($"cannot use {path} as the example store: {e.Message}", e);
        }
        catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException)
        {
            throw new ExampleStoreException($"cannot open the example store {path}: {e.Message}" +
                (e is SqliteException { SqliteErrorCode: 26 } ? " (not an SQLite database: move it away or pass another --store)" : string.Empty), e);
        }
    }

    public int Count => Convert.ToInt32(Scalar("SELECT count(*) FROM examples"), CultureInfo.InvariantCulture);

    /// <summary>The examples of one language.</summary>
    public int CountOf(string language)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM examples WHERE language = $l";
        command.Parameters.AddWithValue("$l", language);
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>Stores made before examples had a language hold bpftrace only: the column is added with that default.</summary>
    private static void AddLanguageColumn(SqliteConnection connection)
    {
        using var probe = connection.CreateCommand();
        probe.CommandText = "SELECT count(*) FROM pragma_table_info('examples') WHERE name = 'language'";
        if (Convert.ToInt32(probe.ExecuteScalar(), CultureInfo.InvariantCulture) == 0)
        {
            using var alter = connection.CreateCommand();
            alter.CommandText = "ALTER TABLE examples ADD COLUMN language TEXT NOT NULL DEFAULT 'bpftrace'";
            alter.ExecuteNonQuery();
        }
    }

    /// <summary>Creates the per-language indexes; a store with the older single index over every row gets its triggers
    /// replaced and both indexes filled again from its rows, in one transaction.</summary>
    private static void IndexPerLanguage(SqliteConnection connection)
    {
        using var probe = connection.CreateCommand();
        probe.CommandText = "SELECT (SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = 'examples_ai'), " +
            $"(SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ({string.Join(", ", Languages.Select(l => $"'{IndexOf(l)}'"))}))";
        bool older, missing;
        using (var reader = probe.ExecuteReader())
        {
            reader.Read();
            (older, missing) = (reader.GetInt32(0) > 0, reader.GetInt32(1) < Languages.Length);
        }

        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        // A new index is filled from the rows already there (a store from before languages had none, or one over all).
        command.CommandText = (older ? "DROP TRIGGER examples_ai; DROP TRIGGER examples_ad;" : string.Empty) + Indexes + (older || missing
            ? string.Concat(Languages.Select(l =>
                $"INSERT INTO {IndexOf(l)}({IndexOf(l)}) VALUES ('delete-all'); " +
                $"INSERT INTO {IndexOf(l)}(rowid, request, program) SELECT id, request, program FROM examples WHERE language = '{l}';"))
            : string.Empty);
        command.ExecuteNonQuery();
        transaction.Commit();
    }

    /// <summary>Adds one example; returns it with its id, or the existing one when the same pair is already stored.</summary>
    /// <exception cref="ExampleStoreException">The safety policy refuses the program.</exception>
    public Example Add(Example example)
    {
        var refused = new List<string>();
        var added = AddRange([example], refused);
        return added.Count == 1 ? added[0] : throw new ExampleStoreException($"not stored: {refused[0]}");
    }

    /// <summary>Adds examples in one transaction: all of them or none. Programs the safety policy refuses are left out and
    /// described in <paramref name="refused"/>.</summary>
    public IReadOnlyList<Example> AddRange(IEnumerable<Example> examples, ICollection<string>? refused = null)
    {
        try
        {
            using var transaction = connection.BeginTransaction();
            var added = new List<Example>();
            foreach (var example in examples)
            {
                if (Unsafe(example) is { } reason)
                {
                    refused?.Add($"\"{example.Request}\" ({example.Source}) is refused by the safety policy: {reason}");
                    continue;
                }

                using var insert = connection.CreateCommand();
                insert.Transaction = transaction;
                insert.CommandText = "INSERT OR IGNORE INTO examples(request, program, source, added_at, language) VALUES ($r, $p, $s, $t, $l); " +
                    "SELECT id, added_at, source, language FROM examples WHERE request = $r AND program = $p;";
                insert.Parameters.AddWithValue("$r", example.Request);
                insert.Parameters.AddWithValue("$p", example.Program);
                insert.Parameters.AddWithValue("$s", example.Source);
                insert.Parameters.AddWithValue("$t", example.AddedAt.ToString("O", CultureInfo.InvariantCulture));
                insert.Parameters.AddWithValue("$l", example.Language);
                using var reader = insert.ExecuteReader();
                reader.Read();
                if (CrashAfterWrites is { } limit && added.Count + 1 >= limit)
                {
                    Environment.FailFast("KGENT_CRASH_AFTER_WRITES: simulated crash in the middle of a write");
                }

                added.Add(example with
                {
                    Id = reader.GetInt64(0),
                    AddedAt = DateTimeOffset.Parse(reader.GetString(1), CultureInfo.InvariantCulture),
                    Source = reader.GetString(2),
                    Language = reader.GetString(3),
                });
            }

            transaction.Commit();
            return added;
        }
        catch (SqliteException e)
        {
            throw new ExampleStoreException($"cannot write to the example store {Path}: {e.Message}", e);
        }
    }

    public Example? Get(long id)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, request, program, source, added_at, language FROM examples WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        using var reader = command.ExecuteReader();
        return reader.Read() ? Read(reader) : null;
    }

    public IReadOnlyList<Example> List(int offset = 0, int limit = 100)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, request, program, source, added_at, language FROM examples ORDER BY id LIMIT $limit OFFSET $offset";
        command.Parameters.AddWithValue("$limit", limit);
        command.Parameters.AddWithValue("$offset", offset);
        using var reader = command.ExecuteReader();
        var list = new List<Example>();
        while (reader.Read())
        {
            list.Add(Read(reader));
        }

        return list;
    }

    /// <summary>The <paramref name="k"/> examples most relevant to a request, by BM25 over request text (weighted 4×) and
    /// program text; an empty list when the request has no searchable words.</summary>
    public IReadOnlyList<ExampleMatch> Search(string request, int k = 5, string language = Example.Bpftrace)
    {
        if (ExampleQuery.ToFts(request) is not { } match || k <= 0)
        {
            return [];
        }

        var index = IndexOf(language);
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT e.id, e.request, e.program, e.source, e.added_at, e.language, bm25({index}, 4.0, 1.0) AS rank
            FROM {index} JOIN examples e ON e.id = {index}.rowid
            WHERE {index} MATCH $match AND e.language = $language
            ORDER BY rank LIMIT $k
            """;
        command.Parameters.AddWithValue("$match", match);
        command.Parameters.AddWithValue("$language", language);
        // Over-fetch: an unsafe example in the top k is skipped, and the next one takes its place.
        command.Parameters.AddWithValue("$k", k * 4 + 20);
        using var reader = command.ExecuteReader();
        var matches = new List<ExampleMatch>();
        while (reader.Read() && matches.Count < k)
        {
            var example = Read(reader);
            if (Unsafe(example) is null)
            {
                matches.Add(new ExampleMatch(example, -reader.GetDouble(6)));
            }
        }

        return matches;
    }

    /// <summary>Why the safety policy refuses an example's program, or null when it does not.</summary>
    private static string? Unsafe(Example example) => example.Language == Example.C
        ? Safety.UnsafeHelpers.All.FirstOrDefault(h => System.Text.RegularExpressions.Regex.IsMatch(example.Program, $@"\b{h.Name}\b")) is { } helper
            ? $"it calls {helper.Name}, which {helper.Effect}"
            : null
        : Safety.SafetyPolicy.Review(example.Program, $"example-{example.Id}.bt") is { IsSafe: false } review ? review.Reason : null;

    /// <summary>Stores an example's embedding (float32, little-endian).</summary>
    public void SetEmbedding(long id, ReadOnlySpan<float> vector)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE examples SET embedding = $v WHERE id = $id";
        command.Parameters.AddWithValue("$v", System.Runtime.InteropServices.MemoryMarshal.AsBytes(vector).ToArray());
        command.Parameters.AddWithValue("$id", id);
        command.ExecuteNonQuery();
    }

    /// <summary>Examples that have no embedding yet.</summary>
    public IReadOnlyList<Example> WithoutEmbedding(int limit = 1000)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, request, program, source, added_at, language FROM examples WHERE embedding IS NULL ORDER BY id LIMIT $limit";
        command.Parameters.AddWithValue("$limit", limit);
        using var reader = command.ExecuteReader();
        var list = new List<Example>();
        while (reader.Read())
        {
            list.Add(Read(reader));
        }

        return list;
    }

    /// <summary>Hybrid retrieval: BM25 and (when a query vector is given) cosine similarity over the stored embeddings,
    /// fused by reciprocal rank (score = Σ 1/(60 + rank)). With no vector, or no stored embeddings, it is plain BM25.</summary>
    public IReadOnlyList<ExampleMatch> SearchHybrid(string request, ReadOnlyMemory<float>? queryVector, int k = 5, string language = Example.Bpftrace)
    {
        var lexical = Search(request, Math.Max(k, 50), language);
        if (queryVector is not { Length: > 0 } query)
        {
            return [.. lexical.Take(k)];
        }

        var semantic = new List<(Example Example, double Cosine)>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT id, request, program, source, added_at, language, embedding FROM examples WHERE embedding IS NOT NULL AND language = $l";
            command.Parameters.AddWithValue("$l", language);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var vector = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(((byte[])reader["embedding"]).AsSpan());
                if (vector.Length == query.Length && Unsafe(Read(reader)) is null)
                {
                    semantic.Add((Read(reader), System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(query.Span, vector)));
                }
            }
        }

        if (semantic.Count == 0)
        {
            return [.. lexical.Take(k)];
        }

        var fused = new Dictionary<long, (Example Example, double Score)>();
        void Fuse(IEnumerable<Example> ranked)
        {
            var rank = 0;
            foreach (var example in ranked)
            {
                rank++;
                var score = 1.0 / (60 + rank);
                fused[example.Id] = fused.TryGetValue(example.Id, out var existing) ? (existing.Example, existing.Score + score) : (example, score);
            }
        }

        Fuse(lexical.Select(m => m.Example));
        Fuse(semantic.OrderByDescending(s => s.Cosine).Take(Math.Max(k, 50)).Select(s => s.Example));
        return [.. fused.Values.OrderByDescending(v => v.Score).ThenBy(v => v.Example.Id).Take(k).Select(v => new ExampleMatch(v.Example, v.Score))];
    }

    /// <summary>"ok" when SQLite finds the file consistent.</summary>
    public string IntegrityCheck() => Convert.ToString(Scalar("PRAGMA integrity_check"), CultureInfo.InvariantCulture) ?? string.Empty;

    public void Dispose() => connection.Dispose();

    private object? Scalar(string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    /// <summary>An example from the columns id, request, program, source, added_at, language.</summary>
    private static Example Read(SqliteDataReader reader) => new(
        reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
        DateTimeOffset.Parse(reader.GetString(4), CultureInfo.InvariantCulture)) { Language = reader.GetString(5) };
}
