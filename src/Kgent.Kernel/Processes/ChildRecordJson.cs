using System.Text.Json.Serialization;

namespace Kgent.Kernel.Processes;

/// <summary>The run registry's record format (PascalCase names, indented), with its metadata generated at build time: every
/// child Kgent starts is registered, and the serializer's reflection cost a short-lived command ~30 ms the first time.</summary>
[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(ChildRecord))]
internal sealed partial class ChildRecordJson : JsonSerializerContext;
