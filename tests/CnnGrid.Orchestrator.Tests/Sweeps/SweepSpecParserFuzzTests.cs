using System.Diagnostics;
using System.Text.Json.Nodes;
using CnnGrid.Orchestrator.Sweeps;

namespace CnnGrid.Orchestrator.Tests.Sweeps;

/// <summary>
/// Feeds the parser seeded random corruptions of the checked-in example specs, as text and as JSON trees. It must
/// never throw: either a valid sweep within the limits or problems that each say where and what. Bounded by a case
/// count and a time budget.
/// </summary>
public sealed class SweepSpecParserFuzzTests
{
    const int Cases = 1500;
    static readonly TimeSpan Budget = TimeSpan.FromSeconds(15);
    static readonly SweepLimits Limits = new(MaxTrials: 2_000);

    static readonly string[] Examples = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "examples"), "*.json")
        .Where(file => !file.EndsWith("schema.json", StringComparison.Ordinal))
        .Select(File.ReadAllText)
        .ToArray();

    // Values a client could put anywhere: wrong types, extremes, emptiness, deep nesting.
    static readonly string[] Replacements =
    [
        "null", "true", "false", "0", "-1", "1", "2", "0.5", "1.5", "-0.0", "1e308", "-1e308", "1e-320", "1e400",
        "123456789012345678901234567890", "\"\"", "\"x\"", "\"adam\"", "\"seed000-cnn\"", "\"fashion-mnist\"",
        "\"NaN\"", "[]", "[null]", "[1, \"a\", null]", "[0.1, 0.1]", "{}", "{\"name\": 1}",
        string.Concat(Enumerable.Repeat("[", 200)) + string.Concat(Enumerable.Repeat("]", 200)),
        "[" + string.Join(",", Enumerable.Range(0, 300)) + "]",
    ];

    [Fact]
    public void Corrupted_text_is_parsed_or_rejected_with_located_problems() => Fuzz(11, random =>
    {
        var text = Examples[random.Next(Examples.Length)].ToCharArray().ToList();
        for (int edits = random.Next(1, 6); edits > 0 && text.Count > 0; edits--)
        {
            int at = random.Next(text.Count);
            switch (random.Next(3))
            {
                case 0: text.RemoveAt(at); break;
                case 1: text.Insert(at, "{}[]\",:0e-.\\ a\u00e9\0"[random.Next(16)]); break;
                default: text[at] = (char)random.Next(32, 127); break;
            }
        }
        return new string([.. text]);
    });

    [Fact]
    public void Corrupted_trees_are_parsed_or_rejected_with_located_problems() => Fuzz(12, random =>
    {
        var root = JsonNode.Parse(Examples[random.Next(Examples.Length)])!.AsObject();
        for (int edits = random.Next(1, 4); edits > 0; edits--)
        {
            var (parent, key) = PickMember(root, random);
            var value = JsonNode.Parse(Replacements[random.Next(Replacements.Length)], documentOptions: new() { MaxDepth = 512 });
            switch (random.Next(3))
            {
                case 0: parent[key] = value; break;
                case 1: parent.Remove(key); break;
                default: parent[key + "x"] = value; break; // an unknown field next to a known one
            }
        }
        return root.ToJsonString();
    });

    static void Fuzz(int seed, Func<Random, string> makeSpec)
    {
        var random = new Random(seed);
        var clock = Stopwatch.StartNew();
        int rejected = 0, accepted = 0;
        for (int i = 0; i < Cases && clock.Elapsed < Budget; i++)
        {
            var json = makeSpec(random);
            ParseResult result;
            try
            {
                result = Specs.Parse(json, limits: Limits);
            }
            catch (Exception error)
            {
                Assert.Fail($"case {i} (seed {seed}) threw {error.GetType().Name}: {error.Message}\n{json}");
                return;
            }

            if (result.IsValid)
            {
                accepted++;
                Assert.InRange(result.Sweep.TrialCount, 1, Limits.MaxTrials);
                Assert.Equal(result.Sweep.TrialCount, result.Sweep.Trials.Count(trial => !trial.Refit));
            }
            else
            {
                rejected++;
                Assert.All(result.Problems, problem =>
                {
                    Assert.False(string.IsNullOrWhiteSpace(problem.Path), $"a problem without a path for\n{json}");
                    Assert.False(string.IsNullOrWhiteSpace(problem.Message), $"a problem without a message for\n{json}");
                });
            }
        }

        Assert.True(rejected > 0 && accepted > 0, $"{accepted} accepted, {rejected} rejected: the mutations are too weak or too strong");
    }

    /// <summary>A random member (object property) anywhere in the tree, as its parent object and key.</summary>
    static (JsonObject Parent, string Key) PickMember(JsonObject root, Random random)
    {
        var members = new List<(JsonObject, string)>();
        void Collect(JsonNode? node)
        {
            if (node is JsonObject obj)
            {
                foreach (var (key, child) in obj.ToList())
                {
                    members.Add((obj, key));
                    Collect(child);
                }
            }
            else if (node is JsonArray array)
            {
                foreach (var item in array)
                    Collect(item);
            }
        }
        Collect(root);
        return members[random.Next(members.Count)];
    }
}
