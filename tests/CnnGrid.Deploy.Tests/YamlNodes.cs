using YamlDotNet.RepresentationModel;

namespace CnnGrid.Deploy.Tests;

/// <summary>Reading Compose and Kubernetes YAML as YamlDotNet's node tree: absent keys are null, not exceptions.</summary>
public static class YamlNodes
{
    public static IReadOnlyList<YamlMappingNode> Documents(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return [.. stream.Documents.Select(document => document.RootNode).OfType<YamlMappingNode>()];
    }

    public static YamlNode? Get(this YamlNode? node, string key) =>
        node is YamlMappingNode mapping && mapping.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

    /// <summary>The node at a path of keys, e.g. <c>Get("spec", "template", "spec")</c>.</summary>
    public static YamlNode? Get(this YamlNode? node, params string[] path) => path.Aggregate(node, (current, key) => current.Get(key));

    public static string? Text(this YamlNode? node, params string[] path) => (node.Get(path) as YamlScalarNode)?.Value;

    public static IReadOnlyList<YamlNode> Items(this YamlNode? node, params string[] path) =>
        node.Get(path) is YamlSequenceNode sequence ? [.. sequence.Children] : [];

    public static IEnumerable<(string Key, YamlNode Value)> Entries(this YamlNode? node, params string[] path) =>
        node.Get(path) is YamlMappingNode mapping
            ? mapping.Children.Select(child => (((YamlScalarNode)child.Key).Value!, child.Value))
            : [];

    /// <summary>
    /// <paramref name="overlay"/> laid over <paramref name="baseNode"/> as Compose merges its files for the keys the
    /// overrides here use: mappings key by key, anything else replaced.
    /// </summary>
    public static YamlNode Merge(YamlNode baseNode, YamlNode overlay)
    {
        if (baseNode is not YamlMappingNode baseMapping || overlay is not YamlMappingNode overlayMapping)
            return overlay;
        var merged = new YamlMappingNode();
        foreach (var (key, value) in baseMapping.Children)
            merged.Add(key, overlayMapping.Children.TryGetValue(key, out var over) ? Merge(value, over) : value);
        foreach (var (key, value) in overlayMapping.Children.Where(child => !baseMapping.Children.ContainsKey(child.Key)))
            merged.Add(key, value);
        return merged;
    }
}
