using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using Microsoft.CodeAnalysis;
using SessionKinds.Generators.Generation;
using SessionKinds.Generators.Generation.Model;

namespace SessionKinds.Generators.Tasks;

/// <summary>
/// Decides how the generated factory (<c>ISessionTask.Create(IServiceProvider)</c>) creates a task: the rules of
/// Microsoft.Extensions.DependencyInjection where they can be decided at compile time. Part of the one inspection: the
/// generator emits what this returns and SKND0016 reports its problem.
/// </summary>
/// <remarks>
/// <list type="number">
/// <item>The constructor: the public one marked <c>[ActivatorUtilitiesConstructor]</c>; else the public one with the most
/// parameters (a class without constructors has a public parameterless one). Two marked, a tie for the most parameters, or
/// no public constructor is a problem.</item>
/// <item>Each parameter is resolved with <c>IServiceProvider.GetService(typeof(T))</c>, or
/// <c>IKeyedServiceProvider.GetKeyedService(typeof(T), key)</c> with <c>[FromKeyedServices(key)]</c> (a constant key).
/// A missing service is an <c>InvalidOperationException</c> naming the task, the parameter and its type, unless the
/// parameter has a default value, which is passed instead.</item>
/// <item>What a service provider cannot supply is a problem: <c>ref</c>/<c>out</c>/<c>in</c> parameters, pointers and ref
/// structs, <c>[ServiceKey]</c>, a constructor obsolete as an error, and required members the constructor does not set.</item>
/// </list>
/// </remarks>
internal static class TaskFactories
{
    private const string ActivatorUtilitiesConstructor = "ActivatorUtilitiesConstructorAttribute";
    private const string FromKeyedServices = "FromKeyedServicesAttribute";
    private const string ServiceKey = "ServiceKeyAttribute";
    private const string DependencyInjectionNamespace = "Microsoft.Extensions.DependencyInjection";

    private static readonly SymbolDisplayFormat Display = SymbolDisplayFormat.CSharpErrorMessageFormat
        .WithMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.UseSpecialTypes | SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    private static readonly SymbolDisplayFormat Qualified = SymbolDisplayFormat.FullyQualifiedFormat
        .WithMiscellaneousOptions(SymbolDisplayFormat.FullyQualifiedFormat.MiscellaneousOptions | SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    public static FactorySpec Describe(INamedTypeSymbol type)
    {
        var empty = new EquatableArray<FactoryParameterSpec>(ImmutableArray<FactoryParameterSpec>.Empty);
        if (FindRequiredMember(type) is { } required && !SetsRequiredMembers(ChooseConstructor(type, out _)))
        {
            return new FactorySpec(empty, $"it has the required member '{required}', which the factory cannot set; set it in the constructor and mark the constructor [SetsRequiredMembers]");
        }

        var constructor = ChooseConstructor(type, out var problem);
        if (constructor is null)
        {
            return new FactorySpec(empty, problem);
        }

        if (IsObsoleteError(constructor))
        {
            return new FactorySpec(empty, "its constructor is [Obsolete] as an error; give the task a public constructor the factory may call");
        }

        var parameters = ImmutableArray.CreateBuilder<FactoryParameterSpec>(constructor.Parameters.Length);
        foreach (var parameter in constructor.Parameters)
        {
            if (DescribeParameter(parameter, out var reason) is { } spec)
            {
                parameters.Add(spec);
            }
            else
            {
                return new FactorySpec(empty, reason);
            }
        }

        return new FactorySpec(new EquatableArray<FactoryParameterSpec>(parameters.MoveToImmutable()), null);
    }

    private static IMethodSymbol? ChooseConstructor(INamedTypeSymbol type, out string? problem)
    {
        problem = null;
        var candidates = new List<IMethodSymbol>();
        IMethodSymbol? marked = null;
        foreach (var constructor in type.InstanceConstructors)
        {
            if (constructor.DeclaredAccessibility != Accessibility.Public)
            {
                continue;
            }

            candidates.Add(constructor);
            if (HasAttribute(constructor, ActivatorUtilitiesConstructor, DependencyInjectionNamespace))
            {
                if (marked is not null)
                {
                    problem = "more than one of its constructors is marked [ActivatorUtilitiesConstructor]; keep the attribute on one";
                    return null;
                }

                marked = constructor;
            }
        }

        if (marked is not null)
        {
            return marked;
        }

        if (candidates.Count == 0)
        {
            problem = "it has no public constructor; give it one for the host to call";
            return null;
        }

        candidates.Sort(static (a, b) => b.Parameters.Length.CompareTo(a.Parameters.Length));
        if (candidates.Count > 1 && candidates[0].Parameters.Length == candidates[1].Parameters.Length)
        {
            problem = $"it has {candidates.Count} public constructors and more than one with the most parameters ({candidates[0].Parameters.Length}); use [ActivatorUtilitiesConstructor] to mark the one to call";
            return null;
        }

        return candidates[0];
    }

    private static FactoryParameterSpec? DescribeParameter(IParameterSymbol parameter, out string? problem)
    {
        problem = null;
        var name = parameter.Name;
        var type = parameter.Type;
        if (parameter.RefKind != RefKind.None)
        {
            problem = $"its constructor parameter '{name}' is passed by reference; remove 'ref', 'out' or 'in' (a service provider passes services by value)";
            return null;
        }

        if (type is IPointerTypeSymbol or IFunctionPointerTypeSymbol || type.IsRefLikeType || type.TypeKind == TypeKind.Error)
        {
            problem = $"its constructor parameter '{name}' has the type '{type.ToDisplayString(Display)}', which a service provider cannot return; pass a service instead";
            return null;
        }

        if (HasAttribute(parameter, ServiceKey, DependencyInjectionNamespace))
        {
            problem = $"its constructor parameter '{name}' is [ServiceKey], which only a keyed registration of the task itself could supply; remove the parameter";
            return null;
        }

        string? key = null;
        foreach (var attribute in parameter.GetAttributes())
        {
            if (IsAttribute(attribute.AttributeClass, FromKeyedServices, DependencyInjectionNamespace))
            {
                if (attribute.ConstructorArguments.Length != 1 || ConstantExpression(attribute.ConstructorArguments[0]) is not { } literal)
                {
                    problem = $"the key of [FromKeyedServices] on its constructor parameter '{name}' is not a constant the factory can write; use a string, number or enum key";
                    return null;
                }

                key = literal;
            }
        }

        var castType = type.ToDisplayString(Qualified);
        var serviceType = type.TypeKind == TypeKind.Dynamic
            ? "object"
            : type.IsReferenceType ? type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) : type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        string? defaultValue = null;
        if (parameter.HasExplicitDefaultValue)
        {
            defaultValue = parameter.ExplicitDefaultValue is null
                ? "default(" + castType + ")"
                : Literal(parameter.ExplicitDefaultValue) is { } literal ? "(" + castType + ")(" + literal + ")" : null;
            if (defaultValue is null)
            {
                problem = $"the default value of its constructor parameter '{name}' cannot be written by the factory; remove it or use a simpler constant";
                return null;
            }
        }
        else if (parameter.IsOptional)
        {
            // [Optional] without a value: the compiler passes default(T).
            defaultValue = "default(" + castType + ")";
        }

        return new FactoryParameterSpec(name, serviceType, castType, type.ToDisplayString(Display), defaultValue, key);
    }

    private static string? ConstantExpression(TypedConstant constant)
    {
        if (constant.IsNull)
        {
            return "null";
        }

        if (constant.Kind == TypedConstantKind.Enum && constant.Type is { } enumType && Literal(constant.Value) is { } underlying)
        {
            return "(" + enumType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + ")(" + underlying + ")";
        }

        return constant.Kind == TypedConstantKind.Primitive ? Literal(constant.Value) : null;
    }

    /// <summary>A C# literal for a constant, or <see langword="null"/> for one this cannot write.</summary>
    private static string? Literal(object? value) => value switch
    {
        string text => CSharpText.Literal(text),
        bool flag => flag ? "true" : "false",
        char c => "'\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture) + "'",
        int i => i.ToString(CultureInfo.InvariantCulture),
        uint u => u.ToString(CultureInfo.InvariantCulture) + "U",
        long l => l.ToString(CultureInfo.InvariantCulture) + "L",
        ulong ul => ul.ToString(CultureInfo.InvariantCulture) + "UL",
        short s => s.ToString(CultureInfo.InvariantCulture),
        ushort us => us.ToString(CultureInfo.InvariantCulture),
        byte b => b.ToString(CultureInfo.InvariantCulture),
        sbyte sb => sb.ToString(CultureInfo.InvariantCulture),
        decimal m => m.ToString(CultureInfo.InvariantCulture) + "M",
        double d => double.IsNaN(d) ? "double.NaN" : double.IsPositiveInfinity(d) ? "double.PositiveInfinity" : double.IsNegativeInfinity(d) ? "double.NegativeInfinity" : d.ToString("R", CultureInfo.InvariantCulture) + "D",
        float f => float.IsNaN(f) ? "float.NaN" : float.IsPositiveInfinity(f) ? "float.PositiveInfinity" : float.IsNegativeInfinity(f) ? "float.NegativeInfinity" : f.ToString("R", CultureInfo.InvariantCulture) + "F",
        _ => null,
    };

    private static string? FindRequiredMember(INamedTypeSymbol type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            foreach (var member in current.GetMembers())
            {
                if (member is IPropertySymbol { IsRequired: true } or IFieldSymbol { IsRequired: true })
                {
                    return member.Name;
                }
            }
        }

        return null;
    }

    private static bool SetsRequiredMembers(IMethodSymbol? constructor) =>
        constructor is not null && HasAttribute(constructor, "SetsRequiredMembersAttribute", "System.Diagnostics.CodeAnalysis");

    private static bool IsObsoleteError(IMethodSymbol constructor)
    {
        foreach (var attribute in constructor.GetAttributes())
        {
            if (IsAttribute(attribute.AttributeClass, "ObsoleteAttribute", "System")
                && attribute.ConstructorArguments.Length == 2
                && attribute.ConstructorArguments[1].Value is true)
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasAttribute(ISymbol symbol, string name, string ns)
    {
        foreach (var attribute in symbol.GetAttributes())
        {
            if (IsAttribute(attribute.AttributeClass, name, ns))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsAttribute(INamedTypeSymbol? attributeClass, string name, string ns) =>
        attributeClass is { ContainingType: null } && attributeClass.Name == name
        && string.Equals(attributeClass.ContainingNamespace?.ToDisplayString(), ns, StringComparison.Ordinal);
}
