using System.Security.Cryptography;
using System.Text;

namespace Kgent.Jupyter;

/// <summary>HMAC-SHA256 over a message's header, parent header, metadata and content, as the Jupyter wire protocol signs
/// them (lower-case hex). An empty key means messages are not signed, and any signature is accepted.</summary>
public sealed class MessageSigner(string key)
{
    private readonly byte[] key = Encoding.UTF8.GetBytes(key);

    public bool Signs => key.Length > 0;

    public string Sign(IReadOnlyList<byte[]> parts)
    {
        if (!Signs)
        {
            return string.Empty;
        }

        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        foreach (var part in parts)
        {
            hmac.AppendData(part);
        }

        return Convert.ToHexStringLower(hmac.GetHashAndReset());
    }

    /// <summary>Whether <paramref name="signature"/> is this key's signature of the parts (compared in constant time).</summary>
    public bool Verify(string signature, IReadOnlyList<byte[]> parts) =>
        !Signs || CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(parts)), Encoding.ASCII.GetBytes(signature));
}
