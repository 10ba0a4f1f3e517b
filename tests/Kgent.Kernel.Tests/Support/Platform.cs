// The tests drive a Linux kernel (bpftrace, tracefs, /proc, mknod): they run on Linux only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
