using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SessionKinds.Generators.Tasks;

namespace SessionKinds.CodeFixes;

/// <summary>Removes session kind attributes from every part of a type.</summary>
internal static class KindAttributeRemoval
{
    /// <summary>Queues the removal of the type's kind attributes (as the inspection finds them) for which <paramref name="remove"/> is true.</summary>
    public static bool Queue(SolutionEdits edits, INamedTypeSymbol type, System.Func<SessionKindInfo, bool> remove, CancellationToken cancellationToken)
    {
        var positions = new Dictionary<TypeDeclarationSyntax, HashSet<(int List, int Attribute)>>();
        foreach (var usage in TaskInspector.GetKindAttributes(type))
        {
            if (!remove(usage.Info)
                || usage.GetSyntax(cancellationToken) is not { Parent: AttributeListSyntax list } attribute
                || list.Parent is not TypeDeclarationSyntax declaration)
            {
                continue;
            }

            if (!positions.TryGetValue(declaration, out var set))
            {
                set = new HashSet<(int, int)>();
                positions.Add(declaration, set);
            }

            set.Add((declaration.AttributeLists.IndexOf(list), list.Attributes.IndexOf(attribute)));
        }

        foreach (var entry in positions)
        {
            var set = entry.Value;
            edits.Add(entry.Key, (_, current) => DeclarationEditing.RemoveAttributes(current, (l, a) => set.Contains((l, a))));
        }

        return positions.Count > 0;
    }
}
