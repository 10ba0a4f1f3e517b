using Kgent.Kernel.KernelInfo.Catalog;

namespace Kgent.Kernel.Symbolic;

/// <summary>Readies, on the thread pool, what the symbolic verifier will use: a Z3 context (~60 ms to make) and the
/// kernel's BTF (5 MB, read when a program casts to a kernel type). A synthesis starts it as soon as the request's
/// specification says the check will ask the solver, so the model's turn hides it; a request that will not is not charged
/// for it. Failures are left for the first real use to report.</summary>
public static class SolverWarmUp
{
    public static void Start(ProbeCatalog? catalog)
    {
        _ = Z3Runtime.Warm();
        if (catalog is not null)
        {
            _ = Task.Run(() =>
            {
                try
                {
                    _ = catalog.Btf;
                }
                catch (CatalogException)
                {
                    // Reported where a stage first uses the BTF.
                }
            });
        }
    }
}
