using System.CommandLine;
using CnnGrid.Cli.Terminal;
using CnnGrid.Stack;

namespace CnnGrid.Cli.Commands;

/// <summary><c>cnngrid join-file FILE</c>: what a worker on another machine needs to join this stack, in one 0600 file.</summary>
internal static class JoinFileCommand
{
    public static Command Create()
    {
        var home = StackOptions.Home();
        var file = new Argument<FileInfo>("FILE") { Description = "Where to write it (mode 0600: it holds the worker role's database password and a silo's private key)" };
        var command = new Command("join-file", "Write the file `./cnngrid worker --join FILE` joins this stack with: the workers' database URL with its password, the database's TLS certificate and a new cluster certificate for the worker's silo")
        {
            file, home,
        };
        command.SetAction((result, cancellationToken) => CommandErrors.RunAsync(() =>
        {
            var stackHome = StackHome.Resolve(result.GetValue(home));
            var state = StackStateFile.Read(stackHome)
                ?? throw new StackException($"the stack in {stackHome.Root} is not up: start it with `./cnngrid up --address ADDRESS`");
            var join = JoinFile.Of(stackHome, state);
            var path = result.GetValue(file)!.FullName;
            join.Write(path);
            Console.Error.WriteLine(join.DbCertificate is null
                ? $"cnngrid: wrote {path} (mode 0600); this stack listens on loopback only: start it with `up --address ADDRESS` for other machines"
                : $"cnngrid: wrote {path} (mode 0600); copy it to each worker machine and run `./cnngrid worker --join FILE` there");
            return Task.FromResult(0);
        }));
        return command;
    }
}
