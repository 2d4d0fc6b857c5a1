using System.Runtime.Versioning;

namespace CnnGrid.Stack.Tests;

/// <summary>A stack refuses a home where another user could swap or plant its files.</summary>
[SupportedOSPlatform("linux")]
public sealed class StackHomeTests : IDisposable
{
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("cnngrid-home-test-");

    public void Dispose() => folder.Delete(recursive: true);

    [Fact]
    public async Task A_home_in_a_folder_only_this_user_writes_to_is_safe_existing_or_not()
    {
        File.SetUnixFileMode(folder.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await new StackHome(Path.Combine(folder.FullName, "new")).CheckSafeAsync();
        var existing = Directory.CreateDirectory(Path.Combine(folder.FullName, "existing"));
        await new StackHome(existing.FullName).CheckSafeAsync();
    }

    [Fact]
    public async Task A_home_under_a_folder_others_may_write_to_is_refused_naming_the_folder()
    {
        var open = Directory.CreateDirectory(Path.Combine(folder.FullName, "open"));
        File.SetUnixFileMode(open.FullName, (UnixFileMode)0b111_111_111); // 0777, not sticky
        var home = new StackHome(Path.Combine(open.FullName, "home"));

        var error = await Assert.ThrowsAsync<StackException>(() => home.CheckSafeAsync());

        Assert.Contains($"{open.FullName}: its mode 777 lets other users write to it", error.Message);
        Assert.False(Directory.Exists(home.Root));
    }

    [Fact]
    public async Task A_home_that_others_may_write_to_or_that_is_a_link_is_refused()
    {
        var shared = Directory.CreateDirectory(Path.Combine(folder.FullName, "shared"));
        File.SetUnixFileMode(shared.FullName, (UnixFileMode)0b1_111_111_111); // 1777: sticky does not make a home safe
        var error = await Assert.ThrowsAsync<StackException>(() => new StackHome(shared.FullName).CheckSafeAsync());
        Assert.Contains("lets other users write to it", error.Message);

        var link = Path.Combine(folder.FullName, "link");
        File.CreateSymbolicLink(link, "/etc");
        error = await Assert.ThrowsAsync<StackException>(() => new StackHome(link).CheckSafeAsync());
        Assert.Contains($"{link}: it is a symbolic link, not a directory", error.Message);
    }

    [Fact]
    public async Task No_client_is_made_once_the_orchestrator_process_is_gone_so_whatever_took_its_port_gets_no_token()
    {
        using var stranger = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        stranger.Start();
        var url = $"http://127.0.0.1:{((System.Net.IPEndPoint)stranger.LocalEndpoint).Port}";
        using var gone = System.Diagnostics.Process.Start("true")!;
        await gone.WaitForExitAsync();
        var home = new StackHome(folder.FullName);
        File.WriteAllText(home.TokenFile, "secret-token\n");
        StackStateFile.Write(home, new StackState(5432, new HostProcess(gone.Id, "/nowhere/CnnGrid.Orchestrator.dll", "", url, 11111), [], null));

        var error = Assert.Throws<StackException>(() => home.Client());

        Assert.Contains($"the stack's orchestrator (pid {gone.Id}, {url}) is not running", error.Message);
        Assert.False(stranger.Pending(), "nothing connected to the port");
    }
}
