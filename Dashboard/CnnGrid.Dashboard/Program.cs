using CnnGrid.Dashboard;

DashboardApp.Build(args).Run();
