import { useId } from "react";
import type { ReactNode } from "react";
import "./card.css";

/** Props of {@link Card}. */
export interface CardProps {
  title?: ReactNode;
  description?: ReactNode;
  /** Heading level of the title (default 2: cards sit under the page's h1). */
  headingLevel?: 2 | 3;
  /** Shown at the right of the header, e.g. a badge or a small button. */
  headerAction?: ReactNode;
  /** Actions row at the bottom (buttons), right-aligned on wide screens. */
  footer?: ReactNode;
  children?: ReactNode;
  className?: string;
}

/** A titled section of a page: a `<section>` labelled by its heading. */
export function Card({ title, description, headingLevel = 2, headerAction, footer, children, className }: CardProps) {
  const titleId = useId();
  const Heading = headingLevel === 2 ? "h2" : "h3";
  return (
    <section className={["card", className].filter(Boolean).join(" ")} aria-labelledby={title ? titleId : undefined}>
      {title || description || headerAction ? (
        <header className="card__header">
          <div className="card__heading">
            {title ? (
              <Heading id={titleId} className="card__title">
                {title}
              </Heading>
            ) : null}
            {description ? <p className="card__description">{description}</p> : null}
          </div>
          {headerAction ? <div className="card__header-action">{headerAction}</div> : null}
        </header>
      ) : null}
      {children !== undefined ? <div className="card__body">{children}</div> : null}
      {footer ? <footer className="card__footer">{footer}</footer> : null}
    </section>
  );
}
