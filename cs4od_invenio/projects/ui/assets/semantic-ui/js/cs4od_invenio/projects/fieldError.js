// The message of a form field the API refused, next to the field.
import React from "react";
import PropTypes from "prop-types";

export const FieldError = ({ messages }) =>
  messages && messages.length ? (
    <div className="ui pointing red basic label cs4od-field-error" role="alert">
      {messages.join(" ")}
    </div>
  ) : null;

FieldError.propTypes = { messages: PropTypes.array };
FieldError.defaultProps = { messages: null };
