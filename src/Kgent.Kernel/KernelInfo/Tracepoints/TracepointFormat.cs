using System.Collections.Immutable;

namespace Kgent.Kernel.KernelInfo.Tracepoints;

/// <summary>A tracepoint (<c>category:event</c>) and the fields its <c>args</c> has, without the common_* header.</summary>
public sealed record TracepointFormat(string Category, string Event, int Id, ImmutableArray<TracepointField> Fields)
{
    public string Name => $"{Category}:{Event}";

    public TracepointField? FindField(string name) => Fields.FirstOrDefault(f => f.Name == name);
}
