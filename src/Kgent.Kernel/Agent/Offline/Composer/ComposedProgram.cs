namespace Kgent.Kernel.Agent.Offline.Composer;

/// <summary>A program the offline model composed, and in a sentence what it does ("counts file deletion on
/// sys_enter_unlinkat, sys_enter_unlink by process name"), which its reply shows above the code.</summary>
internal sealed record ComposedProgram(string Program, string Summary);
