using CnnGrid.Cli;

return CliApp.Build().Parse(args).Invoke();
