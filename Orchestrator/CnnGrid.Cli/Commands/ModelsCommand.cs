using System.CommandLine;
using CnnGrid.Abstractions.Catalog;
using CnnGrid.Cli.Terminal;
using CnnGrid.Training.Datasets;
using CnnGrid.Training.Models;

namespace CnnGrid.Cli.Commands;

/// <summary><c>cnngrid models</c>: every model with its input shape and parameter count for a dataset.</summary>
internal static class ModelsCommand
{
    public static Command Create()
    {
        var dataset = new Option<string>("--dataset") { Description = "Dataset whose image shape the models are built for", DefaultValueFactory = _ => TrainingCatalog.FashionMnist };
        var json = new Option<bool>("--json") { Description = "Print a JSON array" };
        var command = new Command("models", "List the models with input shape and parameter counts") { dataset, json };
        command.SetAction(result => CommandErrors.Run(() =>
        {
            var info = DatasetCatalog.Describe(result.GetValue(dataset)!);
            var models = ModelCatalog.DescribeAll(info.Shape, info.Classes);
            if (result.GetValue(json))
            {
                CliJson.WriteLine(models.Select(m => new { name = m.Name, summary = m.Summary, input = m.Input.ToString(), parameters = m.Parameters, forwardFlopsPerImage = m.ForwardFlopsPerImage }));
                return 0;
            }
            Console.WriteLine($"{"model",-16} {"input",-9} {"parameters",12}  summary");
            foreach (var m in models)
                Console.WriteLine($"{m.Name,-16} {m.Input,-9} {m.Parameters,12:N0}  {m.Summary}");
            return 0;
        }));
        return command;
    }
}
