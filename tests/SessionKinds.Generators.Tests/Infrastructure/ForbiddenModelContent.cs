using System.Collections;
using System.Reflection;
using Microsoft.CodeAnalysis;

namespace SessionKinds.Generators.Tests.Infrastructure;

/// <summary>
/// Walks an object graph (fields, collections, tuples, boxed structs) and names every object that must
/// never be held by an incremental model: it would keep a whole compilation alive and break caching.
/// </summary>
internal static class ForbiddenModelContent
{
    private static readonly Type[] Forbidden =
        [typeof(Compilation), typeof(ISymbol), typeof(SyntaxNode), typeof(SyntaxTree), typeof(SemanticModel), typeof(Location), typeof(AttributeData)];

    /// <summary>Paths (like <c>spec.Heartbeat.Value</c>) to every forbidden object reachable from <paramref name="root"/>.</summary>
    public static IReadOnlyList<string> Find(object? root, string rootName)
    {
        var found = new List<string>();
        var visited = new HashSet<object>(ReferenceEqualityComparer.Instance);
        Walk(root, rootName, visited, found, depth: 0);
        return found;
    }

    private static void Walk(object? value, string path, HashSet<object> visited, List<string> found, int depth)
    {
        if (value is null || depth > 32)
        {
            return;
        }

        var type = value.GetType();
        if (Forbidden.Any(forbidden => forbidden.IsAssignableFrom(type)))
        {
            found.Add($"{path}: {type.FullName}");
            return;
        }

        if (type.IsPrimitive || type.IsEnum || value is string or decimal or DateTime or DateTimeOffset or TimeSpan or Guid || type.IsPointer)
        {
            return;
        }

        if (!type.IsValueType && !visited.Add(value))
        {
            return;
        }

        if (value is IEnumerable sequence)
        {
            var index = 0;
            foreach (var item in sequence)
            {
                Walk(item, $"{path}[{index++}]", visited, found, depth + 1);
            }
        }

        for (var current = type; current is not null && current != typeof(object); current = current.BaseType)
        {
            foreach (var field in current.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (field.FieldType.IsPointer || field.FieldType.IsByRefLike)
                {
                    continue;
                }

                Walk(field.GetValue(value), $"{path}.{MemberName(field)}", visited, found, depth + 1);
            }
        }
    }

    // "<Symbol>k__BackingField" → "Symbol"
    private static string MemberName(FieldInfo field) =>
        field.Name.StartsWith('<') && field.Name.IndexOf('>', StringComparison.Ordinal) is > 1 and var end ? field.Name[1..end] : field.Name;
}
