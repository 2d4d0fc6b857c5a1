using CnnGrid.Abstractions;
using CnnGrid.Abstractions.Catalog;
using CnnGrid.Orchestrator.Sweeps;

namespace CnnGrid.Orchestrator.Tests.Sweeps;

public sealed class SweepSpecParserTests
{
    private const string DropoutCv = """
        {
          "name": "dropout-cv",
          "dataset": { "name": "fashion-mnist", "limit": 10000 },
          "model": "seed000-cnn",
          "folds": 5, "stratified": false, "seed": 42,
          "epochs": 1, "batchSize": 64, "optimizer": "adam", "learningRate": 0.001,
          "grid": { "dropout": [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7], "weightDecay": [0, 0.001] }
        }
        """;

    [Fact]
    public void Reads_fixed_settings_into_the_base_trial_and_lists_into_the_grid()
    {
        var sweep = Specs.Valid(DropoutCv);

        Assert.Equal("dropout-cv", sweep.Spec.Name);
        Assert.Equal(new TrialSpec
        {
            Dataset = new DatasetSpec { Name = "fashion-mnist", Limit = 10_000 },
            Model = "seed000-cnn",
            Folds = 5,
            Seed = 42,
            Epochs = 1,
            BatchSize = 64,
            Optimizer = "adam",
            LearningRate = 0.001,
        }, sweep.Spec.Base);
        Assert.Equal(["dropout", "weightDecay"], sweep.Spec.Grid.Select(axis => axis.Name));
        Assert.Equal([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7], sweep.Spec.Grid[0].Values.Cast<double>());
        Assert.Equal([0.0, 0.001], sweep.Spec.Grid[1].Values.Cast<double>());
        Assert.Equal(7 * 2 * 5, sweep.TrialCount);
        Assert.Equal(5, sweep.TrialsPerConfig);
    }

    [Fact]
    public void A_spec_with_only_a_name_is_one_configuration_with_trial_spec_defaults()
    {
        var sweep = Specs.Valid("""{ "name": "defaults" }""");

        Assert.Equal(new TrialSpec(), sweep.Spec.Base);
        Assert.Empty(sweep.Spec.Grid);
        Assert.Equal(new TrialSpec().Folds, sweep.TrialCount);
    }

    [Fact]
    public void Nullable_hyperparameters_take_null_in_the_grid_and_the_dataset()
    {
        var sweep = Specs.Valid("""
            { "name": "n", "dataset": { "permutePixelsSeed": null }, "patience": null,
              "grid": { "hidden": [null, 8], "features": [6, null] } }
            """);

        Assert.Equal([null, 8], sweep.Spec.Grid[0].Values);
        Assert.Null(sweep.Spec.Base.Patience);
        Assert.Equal(2 * 2 * 5, sweep.TrialCount);
    }

    [Fact]
    public void A_client_id_is_kept_and_a_missing_one_is_fresh_on_every_parse()
    {
        Assert.Equal("my-sweep.1", Specs.Valid("""{ "id": "my-sweep.1", "name": "x" }""").Id);

        var first = Specs.Valid("""{ "name": "x" }""").Id;
        var second = Specs.Valid("""{ "name": "x" }""").Id;
        Assert.Matches("^[0-9a-f]{16}$", first);
        Assert.NotEqual(first, second);
    }

    [Theory]
    // Unknown names, with the closest known one suggested.
    [InlineData("""{ "name": "x", "droput": 0.1 }""", "droput", "unknown field \"droput\" (did you mean \"dropout\"?)")]
    [InlineData("""{ "name": "x", "Epochs": 2 }""", "Epochs", "did you mean \"epochs\"?")]
    [InlineData("""{ "name": "x", "grid": { "learning_rate": [0.1] } }""", "grid.learning_rate", "did you mean \"learningRate\"?")]
    [InlineData("""{ "name": "x", "dataset": { "limt": 10 } }""", "dataset.limt", "did you mean \"limit\"?")]
    [InlineData("""{ "name": "x", "grid": { "lr": [0.1] } }""", "grid.lr", "unknown hyperparameter \"lr\"; the grid can vary model, dropout,")]
    [InlineData("""{ "name": "x", "limit": 10 }""", "limit", "limit belongs inside dataset")]
    [InlineData("""{ "name": "x", "grid": { "folds": [3, 5] } }""", "grid.folds", "folds cannot vary within a sweep")]
    [InlineData("""{ "name": "x", "model": "lenet" }""", "model", "unknown model \"lenet\" (did you mean \"lenet5\"?); known models: lenet5, lenet5-classic, mlp,")]
    [InlineData("""{ "name": "x", "dataset": { "name": "cifar" } }""", "dataset.name", "unknown dataset \"cifar\" (did you mean \"cifar10\"?); known datasets: cifar10, fashion-mnist, mnist")]
    // Wrong types.
    [InlineData("""{ "name": "x", "epochs": "3" }""", "epochs", "expected an integer, got the string \"3\"")]
    [InlineData("""{ "name": "x", "batchSize": 32.5 }""", "batchSize", "expected an integer, got 32.5")]
    [InlineData("""{ "name": "x", "epochs": null }""", "epochs", "expected an integer, got null")]
    [InlineData("""{ "name": "x", "dropout": "0.5" }""", "dropout", "expected a finite number, got the string \"0.5\"")]
    [InlineData("""{ "name": "x", "stratified": "yes" }""", "stratified", "expected true or false")]
    [InlineData("""{ "name": 7 }""", "name", "expected a string, got 7")]
    [InlineData("""{ "name": "x", "dataset": "mnist" }""", "dataset", "expected an object")]
    [InlineData("""{ "name": "x", "grid": [] }""", "grid", "expected an object, got a list")]
    [InlineData("""{ "name": "x", "grid": { "dropout": [0.1, "high"] } }""", "grid.dropout[1]", "expected a finite number")]
    [InlineData("""{ "name": "x", "dropout": [0.1, 0.2] }""", "dropout", "to try several, list them under grid.dropout")]
    [InlineData("""{ "name": "x", "grid": { "dropout": 0.5 } }""", "grid.dropout", "expected a list of values, got 0.5; a single value belongs at the top level")]
    [InlineData("[1, 2]", "$", "expected an object, got a list")]
    // Ranges.
    [InlineData("""{ "name": "x", "dropout": 1 }""", "dropout", "dropout must be in [0, 1), got 1")]
    [InlineData("""{ "name": "x", "grid": { "dropout": [0.1, -0.1] } }""", "grid.dropout[1]", "dropout must be in [0, 1), got -0.1")]
    [InlineData("""{ "name": "x", "folds": 1 }""", "folds", "folds must be at least 2, got 1")]
    [InlineData("""{ "name": "x", "epochs": 0 }""", "epochs", "epochs must be in [1, 1000], got 0")]
    [InlineData("""{ "name": "x", "batchSize": -64 }""", "batchSize", "batchSize must be in [1, 8192], got -64")]
    [InlineData("""{ "name": "x", "learningRate": 0 }""", "learningRate", "learningRate must be greater than 0, got 0")]
    [InlineData("""{ "name": "x", "grid": { "learningRate": [0.1, -1] } }""", "grid.learningRate[1]", "greater than 0")]
    [InlineData("""{ "name": "x", "weightDecay": -0.001 }""", "weightDecay", "weightDecay must be at least 0, got -0.001")]
    [InlineData("""{ "name": "x", "momentum": -0.5 }""", "momentum", "momentum must be in [0, 1), got -0.5")]
    [InlineData("""{ "name": "x", "optimizer": "sgd", "momentum": 1.0 }""", "momentum", "momentum must be in [0, 1), got 1")]
    [InlineData("""{ "name": "x", "hidden": 0 }""", "hidden", "hidden must be in [1, 8192]")]
    [InlineData("""{ "name": "x", "seed": -1 }""", "seed", "seed must be at least 0")]
    [InlineData("""{ "name": "x", "optimizer": "rmsprop" }""", "optimizer", "optimizer must be one of sgd, adam, got \"rmsprop\"")]
    [InlineData("""{ "name": "x", "optimizer": "Adam" }""", "optimizer", "did you mean \"adam\"?")]
    [InlineData("""{ "name": "x", "grid": { "normalization": ["none", "groupnorm"] } }""", "grid.normalization[1]", "normalization must be one of none, batchnorm, layernorm")]
    [InlineData("""{ "name": "x", "dataset": { "limit": 0 } }""", "dataset.limit", "limit must be at least 1")]
    [InlineData("""{ "name": "x", "dataset": { "limit": 70000 } }""", "dataset.limit", "more than the 60,000 training images of fashion-mnist")]
    [InlineData("""{ "name": "x", "dataset": { "limit": 10 }, "folds": 11 }""", "folds", "folds (11) cannot be more than the 10 training images")]
    [InlineData("""{ "name": "x", "dataset": { "std": [0] } }""", "dataset.std[0]", "greater than 0")]
    [InlineData("""{ "name": "x", "dataset": { "name": "cifar10", "path": "/data/cifar", "mean": [0.5] } }""", "dataset.mean", "cifar10 has 3 channel(s), so mean needs 3 value(s), got 1")]
    [InlineData("""{ "name": "x", "dataset": { "name": "mnist" } }""", "dataset.path", "mnist needs path")]
    // Grid lists.
    [InlineData("""{ "name": "x", "grid": { "dropout": [] } }""", "grid.dropout", "empty list")]
    [InlineData("""{ "name": "x", "grid": { "dropout": [0.1, 0.2, 0.1] } }""", "grid.dropout[2]", "duplicate of grid.dropout[0]")]
    [InlineData("""{ "name": "x", "grid": { "learningRate": [0.001, 1e-3] } }""", "grid.learningRate[1]", "duplicate of grid.learningRate[0]")]
    [InlineData("""{ "name": "x", "grid": { "hidden": [null, 8, null] } }""", "grid.hidden[2]", "duplicate of grid.hidden[0]")]
    [InlineData("""{ "name": "x", "dropout": 0.2, "grid": { "dropout": [0.1, 0.3] } }""", "grid.dropout", "dropout is both fixed at the top level and varied here")]
    [InlineData("""{ "name": "x", "dataset": { "permutePixelsSeed": 3 }, "grid": { "permutePixelsSeed": [null, 0] } }""", "grid.permutePixelsSeed", "fixed in dataset.permutePixelsSeed")]
    [InlineData("""{ "name": "x", "grid": { "dropout": [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9], "learningRate": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], "weightDecay": [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20] } }""", "grid", "expands to 10,500 trials")]
    // The document itself.
    [InlineData("""{ "dropout": 0.1 }""", "name", "missing")]
    [InlineData("""{ "name": "  " }""", "name", "non-blank")]
    [InlineData("""{ "name": "x", "id": "has space" }""", "id", "id must be 1 to 64 letters")]
    [InlineData("""{ "name": "x", "epochs": 2, "epochs": 3 }""", "epochs", "given more than once")]
    public void Reports_the_problem_where_it_is(string json, string path, string message)
    {
        var problems = Specs.Problems(json);

        Assert.Contains(problems, problem => problem.Path == path && problem.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void Reports_every_problem_of_a_spec_at_once_in_document_order()
    {
        var problems = Specs.Problems("""
            {
              "name": "many mistakes",
              "dataset": { "name": "fashion-mnist", "limit": 3, "augmnt": true },
              "model": "lenet6",
              "folds": 4,
              "epochs": 0,
              "optimizer": "adagrad",
              "dropout": 0.5,
              "learning_rate": 0.1,
              "grid": {
                "dropout": [0.1, 0.2],
                "weightDecay": [0.1, 0.1, -1],
                "momentum": []
              }
            }
            """);

        Assert.Equal(
            ["dataset.augmnt", "model", "epochs", "optimizer", "learning_rate",
             "grid.dropout", "grid.weightDecay[1]", "grid.weightDecay[2]", "grid.momentum", "folds"],
            problems.Select(problem => problem.Path));
    }

    [Fact]
    public void Checks_folds_against_the_full_dataset_and_the_trial_limit_given()
    {
        var tiny = TestCatalog.Default with
        {
            Datasets = new Dictionary<string, DatasetFacts> { ["fashion-mnist"] = TrainingCatalog.Dataset("fashion-mnist") with { TrainingImages = 100 } },
        };
        Assert.Contains(Specs.Problems("""{ "name": "x", "folds": 101 }""", tiny), problem => problem.Path == "folds");
        Assert.True(Specs.Parse("""{ "name": "x", "folds": 100 }""", tiny).IsValid);

        var limits = new SweepLimits(MaxTrials: 20);
        var problem = Assert.Single(Specs.Problems("""{ "name": "x", "grid": { "dropout": [0.1, 0.2, 0.3, 0.4, 0.5] } }""", limits: limits));
        Assert.Equal("grid", problem.Path);
        Assert.Contains("25 trials", problem.Message);
        Assert.True(Specs.Parse("""{ "name": "x", "grid": { "dropout": [0.1, 0.2, 0.3, 0.4] } }""", limits: limits).IsValid);
    }

    [Fact]
    public void Repeats_validate_every_configuration_on_that_many_shuffled_splits()
    {
        var result = Specs.Parse("""{ "name": "x", "seed": 7, "folds": 5, "repeats": 3, "grid": { "dropout": [0.1, 0.5] } }""");

        Assert.True(result.IsValid);
        var trials = result.Sweep.Trials;
        Assert.Equal(2 * 3 * 5, trials.Count);
        Assert.All(trials, trial => Assert.True(trial.Spec.ShuffleFolds));
        foreach (var config in trials.GroupBy(trial => trial.ConfigId))
        {
            Assert.Equal(15, config.Count());
            Assert.Equal([7, 8, 9], config.Select(trial => trial.Spec.Seed).Distinct().Order());
            Assert.Equal(15, config.Select(trial => (trial.Spec.Seed, trial.Spec.Fold)).Distinct().Count());
        }
    }

    [Theory]
    // Upper bounds: each of these once flooded, starved or ran a worker out of memory.
    [InlineData("""{ "name": "x", "epochs": 2000000000 }""", "epochs", "[1, 1000]")]
    [InlineData("""{ "name": "x", "model": "mlp", "hidden": 50000 }""", "hidden", "[1, 8192]")]
    [InlineData("""{ "name": "x", "batchSize": 2147483647 }""", "batchSize", "[1, 8192]")]
    [InlineData("""{ "name": "x", "grid": { "features": [6, 100000] } }""", "grid.features[1]", "[1, 512]")]
    // A batch larger than the training fold: 300 images in 3 folds train on 200.
    [InlineData("""{ "name": "x", "folds": 3, "dataset": { "limit": 300 }, "batchSize": 201 }""", "batchSize",
        "batchSize 201 is more than the 200 images of the smallest training fold; use at most 200")]
    [InlineData("""{ "name": "x", "folds": 3, "dataset": { "limit": 301 }, "grid": { "batchSize": [64, 300, 250] } }""", "grid.batchSize",
        "batchSize 300 is more than the 200 images")]
    // Strings PostgreSQL cannot store, and ids with a trailing newline.
    [InlineData("{ \"name\": \"a\\u0000b\" }", "name", "name must not contain control characters")]
    [InlineData("{ \"name\": \"x\", \"id\": \"abc\\n\" }", "id", "id must not contain control characters")]
    [InlineData("{ \"name\": \"x\", \"dataset\": { \"name\": \"fashion-mnist\", \"path\": \"/data\\u0000\" } }", "dataset.path", "must not contain control characters")]
    public void Values_past_their_limits_are_refused_naming_the_field_and_the_limit(string spec, string path, string message)
    {
        var problem = Assert.Single(Specs.Problems(spec));
        Assert.Equal(path, problem.Path);
        Assert.Contains(message, problem.Message);
    }

    [Fact]
    public void A_batch_as_large_as_the_smallest_training_fold_is_accepted()
    {
        Assert.True(Specs.Parse("""{ "name": "x", "folds": 3, "dataset": { "limit": 301 }, "batchSize": 200 }""").IsValid);
    }

    [Theory]
    [InlineData("""{ "name": "x", "repeats": 0 }""", "repeats must be in [1, 100], got 0")]
    [InlineData("""{ "name": "x", "repeats": 2, "grid": { "seed": [1, 2] } }""", "either repeats or a grid of seeds")]
    [InlineData("""{ "name": "x", "repeats": 2, "shuffleFolds": false }""", "repeats needs shuffleFolds true")]
    public void Repeats_that_cannot_be_are_refused_naming_the_field(string spec, string message)
    {
        var problem = Assert.Single(Specs.Problems(spec));
        Assert.Equal("repeats", problem.Path);
        Assert.Contains(message, problem.Message);
    }

    [Theory]
    [InlineData("alpha", "0", "alpha must be in (0, 1), got 0")]
    [InlineData("alpha", "1", "alpha must be in (0, 1), got 1")]
    [InlineData("rope", "-0.01", "rope must be in [0, 1)")]
    [InlineData("alpha", "\"0.05\"", "expected a finite number")]
    public void The_comparisons_alpha_and_rope_are_checked_naming_the_field(string field, string value, string message)
    {
        var problem = Assert.Single(Specs.Problems($$"""{ "name": "x", "{{field}}": {{value}} }"""));
        Assert.Equal(field, problem.Path);
        Assert.Contains(message, problem.Message);
        Assert.True(Specs.Parse("""{ "name": "x", "alpha": 0.01, "rope": 0 }""").IsValid);
    }

    [Fact]
    public void The_default_catalog_refuses_a_model_whose_poolings_the_datasets_images_are_too_small_for()
    {
        var problem = Assert.Single(Specs.Problems("""
            { "name": "x", "grid": { "model": ["seed000-cnn", "vgg-small"] } }
            """, SweepCatalog.Default));

        Assert.Equal("grid.model[1]", problem.Path);
        Assert.Equal("model vgg-small cannot train on fashion-mnist: it needs images of at least 32x32 pixels; fashion-mnist's are 1x28x28", problem.Message);
        Assert.True(Specs.Parse("""
            { "name": "x", "dataset": { "name": "cifar10", "path": "/data/cifar" }, "grid": { "model": ["seed000-cnn", "vgg-small"] } }
            """, SweepCatalog.Default).IsValid);
    }

    [Fact]
    public void Asks_the_catalog_whether_each_model_fits_the_dataset()
    {
        var catalog = TestCatalog.Default with
        {
            FitCheck = (model, dataset) => model == "mlp" && dataset == "cifar10" ? "it takes 28×28 single-channel images" : null,
        };

        var problem = Assert.Single(Specs.Problems("""
            { "name": "x", "dataset": { "name": "cifar10", "path": "/data/cifar" }, "grid": { "model": ["seed000-cnn", "mlp"] } }
            """, catalog));

        Assert.Equal("grid.model[1]", problem.Path);
        Assert.Equal("model mlp cannot train on cifar10: it takes 28×28 single-channel images", problem.Message);
        Assert.True(Specs.Parse("""{ "name": "x", "model": "mlp" }""", catalog).IsValid);
    }

    [Fact]
    public void Reports_malformed_json_with_its_one_based_line_and_position()
    {
        var problem = Assert.Single(Specs.Problems("{\n  \"name\": \"x\",\n  \"folds\": ,\n}"));

        Assert.Equal("$", problem.Path);
        Assert.StartsWith("malformed JSON at line 3, position 12:", problem.Message);
        Assert.DoesNotContain("LineNumber", problem.Message);
    }

    [Fact]
    public void Rejects_a_body_over_the_byte_limit_before_reading_it()
    {
        var json = $$"""{ "name": "{{new string('é', 40)}}" }""";
        var bytes = System.Text.Encoding.UTF8.GetByteCount(json);

        var problem = Assert.Single(Specs.Problems(json, limits: new SweepLimits(MaxBytes: bytes - 1)));
        Assert.Equal("$", problem.Path);
        Assert.Contains($"{bytes} bytes", problem.Message);
        Assert.True(Specs.Parse(json, limits: new SweepLimits(MaxBytes: bytes)).IsValid);
    }

    [Fact]
    public void Noop_seconds_set_how_long_each_noop_epoch_takes()
    {
        var result = Specs.Parse("""{ "name": "x", "model": "noop", "epochs": 3, "noopSeconds": 0.25 }""", WithNoop);

        Assert.True(result.IsValid, string.Join("\n", result.Problems));
        Assert.Equal(("noop", 3, 0.25), (result.Sweep.Spec.Base.Model, result.Sweep.Spec.Base.Epochs, result.Sweep.Spec.Base.NoopSeconds));
        Assert.Equal(0, Specs.Valid("""{ "name": "x" }""").Spec.Base.NoopSeconds);
    }

    [Theory]
    [InlineData("""{ "name": "x", "model": "noop", "noopSeconds": -0.5 }""", "noopSeconds", "noopSeconds must be in [0, 3600], got -0.5")]
    [InlineData("""{ "name": "x", "model": "noop", "noopSeconds": 3601 }""", "noopSeconds", "noopSeconds must be in [0, 3600], got 3601")]
    [InlineData("""{ "name": "x", "model": "noop", "noopSeconds": "1" }""", "noopSeconds", "expected a finite number")]
    [InlineData("""{ "name": "x", "noopSeconds": 1 }""", "noopSeconds", "noopSeconds applies only to model noop, but model is seed000-cnn")]
    [InlineData("""{ "name": "x", "model": "mlp", "noopSeconds": 0 }""", "noopSeconds", "noopSeconds applies only to model noop, but model is mlp")]
    [InlineData("""{ "name": "x", "noopSeconds": 1, "grid": { "model": ["noop", "mlp"] } }""", "noopSeconds", "but grid.model[1] is mlp")]
    public void Noop_seconds_are_range_checked_and_only_for_the_noop_model(string json, string path, string message)
    {
        var problem = Assert.Single(Specs.Problems(json, WithNoop));

        Assert.Equal(path, problem.Path);
        Assert.Contains(message, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_trial_timeout_defaults_to_a_day_reaches_every_trial_and_leaves_config_ids_alone()
    {
        var limited = Specs.Valid("""{ "name": "x", "folds": 2, "trialTimeoutSeconds": 90, "grid": { "dropout": [0.1, 0.2] } }""");
        var unlimited = Specs.Valid("""{ "name": "x", "folds": 2, "grid": { "dropout": [0.1, 0.2] } }""");

        Assert.All(limited.Trials, trial => Assert.Equal(90, trial.Spec.TimeoutSeconds));
        Assert.All(unlimited.Trials, trial => Assert.Equal(TrialSpec.DefaultTimeoutSeconds, trial.Spec.TimeoutSeconds));
        // A limit stops a trial; it does not change what the trial trains.
        Assert.Equal(unlimited.Trials.Select(trial => trial.ConfigId), limited.Trials.Select(trial => trial.ConfigId));
    }

    [Theory]
    [InlineData("""{ "name": "x", "trialTimeoutSeconds": 0 }""", "trialTimeoutSeconds", "trialTimeoutSeconds must be in [1, 604800], got 0")]
    [InlineData("""{ "name": "x", "trialTimeoutSeconds": 604801 }""", "trialTimeoutSeconds", "trialTimeoutSeconds must be in [1, 604800], got 604801")]
    [InlineData("""{ "name": "x", "trialTimeoutSeconds": "1h" }""", "trialTimeoutSeconds", "expected a finite number")]
    [InlineData("""{ "name": "x", "grid": { "trialTimeoutSeconds": [60, 120] } }""", "grid.trialTimeoutSeconds", "")]
    public void The_trial_timeout_is_range_checked_and_cannot_be_varied(string json, string path, string message)
    {
        var problem = Assert.Single(Specs.Problems(json));

        Assert.Equal(path, problem.Path);
        Assert.Contains(message, problem.Message, StringComparison.Ordinal);
    }

    private static SweepCatalog WithNoop { get; } = TestCatalog.Default with { Models = new HashSet<string>(TestCatalog.ModelNames.Append("noop")) };
}
