/* Kgent's Z3 shim.
 *
 * The Microsoft.Z3 NuGet package (4.12.2) ships no Linux native library, and Debian bookworm's libz3
 * (4.8.12) lacks one function the managed binding binds at startup: Z3_enable_concurrent_dec_ref.
 * This library is named libz3.so, placed next to Kgent's assemblies (where .NET looks for "libz3"),
 * defines that one function as a no-op (4.8 has no concurrent reference counting to enable), and links
 * to Debian's libz3.so.4 so every other Z3 symbol resolves there.
 *
 * Built by scripts/build-z3-shim.sh (called from scripts/setup.sh and from the build).
 */
void Z3_enable_concurrent_dec_ref(void *context) { (void)context; }
