using Kgent.Kernel.Composition;
using Kgent.Notebook;
using Kgent.Notebook.Html;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Formatting;
using Microsoft.DotNet.Interactive;

namespace Kgent.Extension;

/// <summary>Loaded by .NET Interactive from the package's <c>interactive-extensions/dotnet</c> folder: registers the
/// formatters, adds the <c>#!kgent</c> kernel, and defines <c>kgent</c> (the session) in the C# kernel.</summary>
public sealed class KgentKernelExtension : IKernelExtension
{
    public async Task OnLoadAsync(Microsoft.DotNet.Interactive.Kernel kernel)
    {
        RegisterFormatters();
        if (kernel is CompositeKernel composite && composite.ChildKernels.All(k => k.Name != "kgent"))
        {
            composite.Add(new KgentKernel(() => KgentNotebook.Session));
            if (composite.ChildKernels.FirstOrDefault(k => k.Name == "csharp") is { } csharp)
            {
                await csharp.SendAsync(new SubmitCode("var kgent = Kgent.Extension.KgentNotebook.Session;")).ConfigureAwait(false);
            }
        }

        KernelInvocationContext.Current?.DisplayAs(KgentNotebook.Describe(), "text/markdown");
    }

    /// <summary>HTML and plain-text formatters for every stage's result record (<see cref="ResultViews"/>).</summary>
    public static void RegisterFormatters()
    {
        foreach (var view in ResultViews.All)
        {
            Formatter.Register(view.Type, (value, context) =>
            {
                context.Writer.Write(view.Html(value));
                return true;
            }, HtmlFormatter.MimeType);
            Formatter.Register(view.Type, (value, context) =>
            {
                context.Writer.Write(view.Text(value));
                return true;
            }, PlainTextFormatter.MimeType);
            Formatter.SetPreferredMimeTypesFor(view.Type, HtmlFormatter.MimeType, PlainTextFormatter.MimeType);
        }
    }
}

/// <summary>The notebook's session, created on first use: the running kernel's catalog, the project's contracts and the
/// default example store (seeded with the dataset's train split when empty).</summary>
public static class KgentNotebook
{
    private static readonly Lazy<KgentSession> Lazy = new(Create);

    public static KgentSession Session => Lazy.Value;

    /// <summary>What was loaded: the stages, this host's probe support, the contracts and the example store.</summary>
    public static string Describe()
    {
        var session = Session;
        var host = session.Catalog.Host;
        var probes = string.Join(", ", host.ProbeTypes.Select(p => $"{p.Type.ToString().ToLowerInvariant()} {(p.Supported ? "yes" : "no")}"));
        return $"Kgent loaded: `#!kgent {string.Join("|", KgentKernel.Stages)}`; the session is `kgent` (`kgent.Last.Candidate`, …).  \n" +
            $"Kernel {host.KernelRelease}: {probes}.  \n" +
            $"Contracts: {session.Contracts.Contracts.Length} hooks{(ContractsPath is null ? " (none found: set KGENT_CONTRACTS to a datasets/contracts folder)" : $" from `{ContractsPath}`")}; " +
            $"example store: {session.Store?.Count ?? 0} examples.";
    }

    private static string? ContractsPath => Session.Workbench.ContractsPath;

    private static KgentSession Create() => new(new Workbench());
}
