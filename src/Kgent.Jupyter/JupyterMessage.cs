using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kgent.Jupyter;

/// <summary>One Jupyter message: the routing identities it came with, its header, its parent's header, metadata and
/// content (JSON objects), and any binary buffers.</summary>
public sealed record JupyterMessage(IReadOnlyList<byte[]> Identities, JsonObject Header, JsonObject ParentHeader, JsonObject Metadata, JsonObject Content)
{
    public const string ProtocolVersion = "5.3";

    private static readonly byte[] Delimiter = "<IDS|MSG>"u8.ToArray();

    public string Type => Header["msg_type"]?.GetValue<string>() ?? string.Empty;

    /// <summary>A new message of <paramref name="type"/> answering <paramref name="parent"/> (routed to its sender).</summary>
    public static JupyterMessage Reply(JupyterMessage? parent, string type, JsonObject content, string session) => new(
        parent?.Identities ?? [],
        NewHeader(type, session),
        parent is null ? [] : (JsonObject)parent.Header.DeepClone(),
        [],
        content);

    public static JsonObject NewHeader(string type, string session) => new()
    {
        ["msg_id"] = Guid.NewGuid().ToString("N"),
        ["session"] = session,
        ["username"] = "kgent",
        ["date"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", System.Globalization.CultureInfo.InvariantCulture),
        ["msg_type"] = type,
        ["version"] = ProtocolVersion,
    };

    /// <summary>The frames to send: identities, the delimiter, the signature, then the four JSON parts.</summary>
    public List<byte[]> Encode(MessageSigner signer)
    {
        var parts = new[] { Header, ParentHeader, Metadata, Content }.Select(p => Encoding.UTF8.GetBytes(p.ToJsonString())).ToArray();
        var frames = new List<byte[]>(Identities) { Delimiter, Encoding.ASCII.GetBytes(signer.Sign(parts)) };
        frames.AddRange(parts);
        return frames;
    }

    /// <summary>Reads frames as a message, or says why they are not one (no delimiter, a bad signature, parts that are
    /// not JSON objects).</summary>
    public static JupyterMessage? Decode(IReadOnlyList<byte[]> frames, MessageSigner signer, out string? problem)
    {
        var delimiter = -1;
        for (var i = 0; i < frames.Count; i++)
        {
            if (frames[i].AsSpan().SequenceEqual(Delimiter))
            {
                delimiter = i;
                break;
            }
        }

        if (delimiter < 0 || frames.Count < delimiter + 6)
        {
            problem = "a message without the <IDS|MSG> delimiter and its five parts";
            return null;
        }

        var parts = frames.Skip(delimiter + 2).Take(4).ToArray();
        if (!signer.Verify(Encoding.ASCII.GetString(frames[delimiter + 1]), parts))
        {
            problem = "a message with a wrong signature (is the connection file's key the kernel's?)";
            return null;
        }

        var objects = new JsonObject[4];
        for (var i = 0; i < 4; i++)
        {
            try
            {
                objects[i] = JsonNode.Parse(parts[i]) as JsonObject ?? [];
            }
            catch (JsonException)
            {
                problem = "a message whose parts are not JSON";
                return null;
            }
        }

        problem = null;
        return new JupyterMessage([.. frames.Take(delimiter)], objects[0], objects[1], objects[2], objects[3]);
    }
}
