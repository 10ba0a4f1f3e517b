namespace Kgent.Kernel.Agent;

/// <summary>Reports progress on the caller's thread, at once and in order (<see cref="Progress{T}"/> posts to a
/// synchronization context, so lines could arrive late or out of order).</summary>
public sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
