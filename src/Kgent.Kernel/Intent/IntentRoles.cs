namespace Kgent.Kernel.Intent;

/// <summary>The roles a key or a field can play. A role is resolved to expressions per hook by <see cref="FieldRoles"/>.</summary>
public static class IntentRoles
{
    public const string ProcessName = "process-name";
    public const string Pid = "pid";
    public const string Tid = "tid";
    public const string Cpu = "cpu";
    public const string Path = "path";
    public const string Error = "error";
    public const string Size = "size";
    public const string Port = "port";
    public const string Address = "address";
    public const string Signal = "signal";
    public const string ExitStatus = "exit-status";
    public const string State = "state";
    public const string Device = "device";
    public const string Syscall = "syscall";
    public const string Reason = "reason";
    public const string OperationType = "operation-type";
    public const string Order = "order";
    public const string Executable = "executable";
    public const string User = "uid";
    public const string Duration = "duration";
    public const string FileDescriptor = "fd";
    public const string Function = "function";

    public static IReadOnlyList<string> All { get; } =
    [
        ProcessName, Pid, Tid, Cpu, Path, Error, Size, Port, Address, Signal, ExitStatus, State, Device, Syscall, Reason, OperationType, Order,
        Executable, User, Duration, FileDescriptor, Function,
    ];

    /// <summary>The words a user would write for a role, for messages ("the process name").</summary>
    public static string Describe(string role, string? qualifier = null)
    {
        var noun = role switch
        {
            ProcessName => "process name",
            Pid => "process ID",
            Tid => "thread ID",
            Cpu => "CPU",
            Path => "path",
            Error => "error number",
            Size => "size",
            Port => "port",
            Address => "address",
            Signal => "signal number",
            ExitStatus => "exit status",
            State => "state",
            Device => "device",
            Syscall => "system call number",
            Reason => "reason",
            OperationType => "operation type",
            Order => "order",
            Executable => "executable",
            User => "user ID",
            Duration => "duration",
            FileDescriptor => "file descriptor",
            Function => "kernel function",
            _ => role,
        };
        return qualifier is null ? noun : $"{qualifier} {noun}";
    }
}
