namespace Kgent.Kernel.Agent;

/// <summary>A synthesis loop for one target language (bpftrace: <see cref="SynthesisLoop"/>; libbpf C:
/// <see cref="Libbpf.Agent.CSynthesisLoop"/>): a request in, the same result records out.</summary>
public interface ISynthesisLoop
{
    Task<SynthesisResult> RunAsync(string request, IProgress<string>? progress = null, CancellationToken cancellation = default);
}
