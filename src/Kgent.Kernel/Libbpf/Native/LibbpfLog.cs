using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Kgent.Kernel.Libbpf.Native;

/// <summary>What libbpf says while a thread works with it: CO-RE relocations, load failures and the kernel verifier's log
/// (libbpf prints it between <c>-- BEGIN PROG LOAD LOG --</c> and <c>-- END PROG LOAD LOG --</c>). libbpf has one print
/// callback per process; it calls it on the thread making the call, so each thread collects into its own capture, and
/// messages printed with no capture open are dropped (libbpf's default prints them to stderr).</summary>
internal static unsafe class LibbpfLog
{
    /// <summary>libbpf's levels: <c>LIBBPF_WARN</c>, <c>LIBBPF_INFO</c>, <c>LIBBPF_DEBUG</c>.</summary>
    public const int Warn = 0;
    public const int Info = 1;
    public const int Debug = 2;

    /// <summary>At most this much text is kept per capture, the latest: a verifier log of a large program runs to megabytes,
    /// and its verdict is at its end.</summary>
    public const int MaxCharacters = 1 << 20;

    /// <summary>The longest single message formatted whole (a verifier log is one message); longer ones keep their start.</summary>
    private const int MaxMessage = 64 << 20;

    private static int installed;

    [ThreadStatic]
    private static Capture? current;

    /// <summary>Starts collecting this thread's libbpf messages up to <paramref name="level"/>; disposing it stops.</summary>
    public static Capture Begin(int level = Info)
    {
        if (Interlocked.Exchange(ref installed, 1) == 0)
        {
            LibbpfNative.SetPrint(&Print);
        }

        var capture = new Capture(level, current);
        current = capture;
        return capture;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Print(int level, nint format, nint arguments)
    {
        var capture = current;
        if (capture is null || level > capture.Level)
        {
            return 0;
        }

        try
        {
            capture.Append(Format(format, arguments));
        }
        catch (Exception e) when (e is OutOfMemoryException or ArgumentException)
        {
            // A message that cannot be formatted is dropped; the call's own result still says what failed.
        }

        return 0;
    }

    /// <summary>printf through libc. On x86-64 a <c>va_list</c> is a pointer to a 24-byte record that formatting consumes, so
    /// the length is measured on a copy (what <c>va_copy</c> does there); elsewhere one bounded pass is made.</summary>
    private static string Format(nint format, nint arguments)
    {
        var length = 4096;
        if (RuntimeInformation.ProcessArchitecture == Architecture.X64)
        {
            var copy = stackalloc byte[24];
            Buffer.MemoryCopy((void*)arguments, copy, 24, 24);
            length = LibbpfNative.FormatV(null, 0, format, (nint)copy);
            if (length <= 0)
            {
                return string.Empty;
            }

            length = Math.Min(length, MaxMessage) + 1;
        }

        var buffer = new byte[length];
        fixed (byte* bytes = buffer)
        {
            var written = LibbpfNative.FormatV(bytes, (nuint)buffer.Length, format, arguments);
            return written <= 0 ? string.Empty : Encoding.UTF8.GetString(bytes, Math.Min(written, buffer.Length - 1));
        }
    }

    /// <summary>One thread's collected messages.</summary>
    public sealed class Capture : IDisposable
    {
        private readonly StringBuilder text = new();
        private readonly Capture? outer;

        internal Capture(int level, Capture? outer)
        {
            Level = level;
            this.outer = outer;
        }

        public int Level { get; }

        /// <summary>True when the start of what libbpf said was dropped to keep the capture under <see cref="MaxCharacters"/>.</summary>
        public bool Truncated { get; private set; }

        public string Text => text.ToString();

        public IReadOnlyList<string> Lines => text.ToString().Split('\n', StringSplitOptions.None) is var lines && lines.Length > 0 && lines[^1].Length == 0 ? lines[..^1] : lines;

        internal void Append(string message)
        {
            if (message.Length >= MaxCharacters)
            {
                text.Clear();
                message = message[^MaxCharacters..];
                Truncated = true;
            }
            else if (text.Length + message.Length > MaxCharacters)
            {
                text.Remove(0, text.Length + message.Length - MaxCharacters);
                Truncated = true;
            }

            text.Append(message);
        }

        public void Dispose()
        {
            if (ReferenceEquals(current, this))
            {
                current = outer;
            }
        }
    }
}
