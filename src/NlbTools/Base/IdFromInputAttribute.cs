using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;

namespace NlbTools.Base
{
    /// <summary>
    /// An id parameter takes text, or an object's property of the parameter's name, and nothing else. Without it,
    /// PowerShell's last binding step turns any piped object into text (NlbRegion -> "cn-hangzhou") and binds that
    /// as the id. For such an object this gives <see cref="NotAnId"/>: from the pipeline the cmdlet then treats the
    /// id as not given, so the object binds only what it really carries (a region lists that region); typed as a
    /// parameter value it is an error. Parameters that do not take whole objects from the pipeline refuse at once.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property)]
    internal sealed class IdFromInputAttribute : ArgumentTransformationAttribute
    {
        /// <summary>Stands for "an object that is not an id"; no real id holds a NUL character.</summary>
        public const string NotAnId = "\u0000not-an-id";

        private readonly string _property;

        public IdFromInputAttribute(string property) => _property = property;

        /// <summary>True for a ValueFromPipeline parameter: give <see cref="NotAnId"/> rather than fail the record.</summary>
        public bool FromWholeObjects { get; set; }

        /// <summary>
        /// The ids bound, without <see cref="NotAnId"/>; <paramref name="notAnId"/> tells whether an object that is
        /// not an id was given, in which case the result is null.
        /// </summary>
        public static string[]? Ids(string[]? bound, out bool notAnId)
        {
            notAnId = bound != null && Array.IndexOf(bound, NotAnId) >= 0;
            return notAnId ? null : bound;
        }

        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            var value = Unwrap(inputData);
            if (value == null || value is string) return value;
            if (value is IEnumerable items && !(value is IDictionary))
            {
                var ids = new List<string?>();
                foreach (var item in items) ids.Add(One(item));
                return ids.ToArray();
            }
            return One(inputData);
        }

        public static ErrorRecord NotAnIdError(string parameter)
        {
            var message = $"-{parameter} takes ids as text, or objects with a {parameter} property.";
            return new ErrorRecord(new PSArgumentException(message, parameter), ErrorIds.NotAnId, ErrorCategory.InvalidArgument, null)
            {
                ErrorDetails = new ErrorDetails(message),
            };
        }

        private string? One(object? item)
        {
            var value = Unwrap(item);
            if (value == null || value is string) return (string?)value;
            // A pscustomobject's properties live on its PSObject wrapper, not on the base object.
            var property = (item as PSObject ?? PSObject.AsPSObject(value)).Properties[_property];
            if (property != null)
            {
                var id = Unwrap(property.Value);
                if (id == null || id is string) return (string?)id;
            }
            if (FromWholeObjects) return NotAnId;
            throw new ArgumentTransformationMetadataException(
                $"A {value.GetType().Name} is not a {_property}: pass the id as text, or an object with a {_property} property.");
        }

        private static object? Unwrap(object? value) => value is PSObject pso ? pso.BaseObject : value;
    }
}
