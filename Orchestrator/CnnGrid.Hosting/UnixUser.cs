using System.Runtime.InteropServices;

namespace CnnGrid.Hosting;

/// <summary>The user this process runs as, for checks of who owns a file or a listening port.</summary>
public static class UnixUser
{
    /// <summary>The effective user id (Linux).</summary>
    public static uint EffectiveId => geteuid();

    [DllImport("libc")]
    private static extern uint geteuid();
}
