using System.Runtime.InteropServices;

namespace Kgent.Kernel.Processes;

/// <summary>The few POSIX signals Kgent sends to its children. A negative pid addresses a process group.</summary>
internal static class PosixSignals
{
    public const int Hangup = 1;
    public const int Interrupt = 2;
    public const int Kill = 9;
    public const int Terminate = 15;

    /// <summary>Sends a signal; false when the process (group) no longer exists.</summary>
    public static bool Send(int pid, int signal) => SendNative(pid, signal) == 0;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendNative(int pid, int signal);
}
