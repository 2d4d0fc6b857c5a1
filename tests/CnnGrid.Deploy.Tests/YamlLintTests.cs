namespace CnnGrid.Deploy.Tests;

public sealed class YamlLintTests
{
    [Fact]
    public void Every_yaml_file_of_deploy_passes_yamllint()
    {
        var lint = Command.Run("yamllint", "apt-get install yamllint (`./cnngrid test` installs it)", "--strict", "--format", "parsable", "--config-file", "deploy/.yamllint", "deploy");
        Assert.True(lint.ExitCode == 0, $"yamllint exited {lint.ExitCode}:\n{lint.Output}{lint.Error}");
    }
}
